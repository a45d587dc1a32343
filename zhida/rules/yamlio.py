"""Read policy YAML keeping line numbers and exact text.

Every scalar is read as text (``Text``, a ``str`` that knows its line), never as a YAML
float: ``0.30`` stays the decimal written in the file. Mappings are ``Map`` (a dict that
knows its line and the line of each key).

>>> doc = load_text("a: 0.30\\nb:\\n  - x: 1\\n")
>>> doc["a"], doc["a"].line, doc["b"][0]["x"].line
('0.30', 1, 3)
"""

from __future__ import annotations

import yaml


class Text(str):
    line: int = 0


class Map(dict):
    line: int = 0
    key_lines: dict


class Seq(list):
    line: int = 0


def _convert(node: yaml.Node):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = Map()
        out.line, out.key_lines = line, {}
        for k, v in node.value:
            key = str(k.value)
            out[key] = _convert(v)
            out.key_lines[key] = k.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(v) for v in node.value)
        seq.line = line
        return seq
    text = Text(node.value)
    text.line = line
    return text


def load_text(text: str):
    """Parse one YAML document into Map / Seq / Text."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return Map()
    return _convert(node)


def line_of(obj, default: int = 0) -> int:
    return getattr(obj, "line", default) or default
