"""The input frame of a run: one row per entity of the policy's target, every field it may use.

Built from source frames read from the database (``dbsource``) or written by hand in a
policy's test cases — the same code joins them either way, so a test case exercises the path
a real run takes. Which sources exist, their schemas and how each narrows to one row per
entity are declared by the packages that own the data (``zhida.rules.entities``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from zhida.rules.bounds import numeric_fields, remember, scan
from zhida.rules.entities import SCHEMAS, entity, source
from zhida.rules.period import Period
from zhida.rules.policy import Policy

__all__ = ["SCHEMAS", "Sources", "build_frame", "empty", "frame_hash", "input_frame"]


def empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=dict(SCHEMAS[name]))


@dataclass
class Sources:
    """Source frames, in their registered schemas (decimals as scaled integers)."""

    frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    def get(self, name: str) -> pl.DataFrame:
        return self.frames.get(name, empty(name))

    def counts(self) -> dict[str, int]:
        return {k: v.height for k, v in self.frames.items()}


def build_frame(policy: Policy, period: Period, as_of: dt.date, src: Sources) -> pl.DataFrame:
    """Join the sources a policy reads onto its entity's base, one row per entity."""
    target = entity(policy.target)
    frame = src.get(target.base)
    for name, spec in policy.sources.items():
        s = source(name)
        raw = src.get(name)
        part = s.join(policy, period, as_of, raw) if s.join else raw
        frame = frame.join(part, on=target.key, how="inner" if spec.required else "left", maintain_order="left")
        fills = [pl.col(c).fill_null(v) for c, v in s.fill.items() if c in frame.columns]
        if fills:
            frame = frame.with_columns(fills)
    return frame


def input_frame(policy: Policy, period: Period, as_of: dt.date, src: Sources) -> pl.DataFrame:
    """The joined frame, carrying the bounds of its numeric fields (``bounds``)."""
    frame = build_frame(policy, period, as_of, src)
    return remember(frame, scan(frame, numeric_fields(policy)))


def frame_hash(frame: pl.DataFrame) -> str:
    """A stable fingerprint of an input frame (order-independent)."""
    if frame.height == 0:
        return "0" * 16
    cols = sorted(frame.columns)
    h = frame.select(cols).hash_rows(seed=7).sort()
    return f"{int(h.hash(seed=11).sum()) & (2**64 - 1):016x}"
