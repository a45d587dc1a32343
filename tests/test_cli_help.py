"""The CLI's help in Chinese, built-in texts included (panel titles, the ``--help`` line, roles)."""

from __future__ import annotations

import pytest

from zhida.cli import main


def help_of(capsys, *args: str) -> str:
    main([*args, "--help"])  # help is not an error: main returns without exiting
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [(), ("cycle",), ("cycle", "advance")], ids=["zhida", "cycle", "cycle-advance"])
def test_help_titles_and_help_option_in_chinese(capsys, args):
    out = help_of(capsys, *args)
    assert "选项" in out and "显示帮助并退出" in out
    assert "Show this message and exit" not in out
    assert "Options" not in out and "Commands" not in out and "Arguments" not in out
    if len(args) < 2:
        assert "命令" in out


def test_role_option_lists_the_chinese_roles(capsys):
    out = help_of(capsys, "cycle", "advance")
    for label in ("经办", "审核", "领导", "系统管理员"):
        assert label in out


def test_import_help_names_each_kind_by_its_chinese_title(capsys):
    from zhida.imports.spec import all_kinds

    out = "".join(help_of(capsys, "import").split())  # the panel wraps long lines
    for kind in all_kinds().values():
        assert f"{kind.title}（{kind.name}）" in out
        assert f"导入{kind.title}（{kind.name}）。" in out


ENGLISH = ("Usage", "Error", "Try ", "Missing", "No such", "Invalid value", "Input should", "Got unexpected",
           "requires an argument", "is not one of")


@pytest.mark.parametrize("args", [(), ("projects",), ("cycle", "advance")], ids=["zhida", "projects", "cycle-advance"])
def test_usage_line_in_chinese(capsys, args):
    out = help_of(capsys, *args)
    assert f"用法：zhida {' '.join(args)}".rstrip() in out
    for english in ENGLISH:
        assert english not in out


@pytest.mark.parametrize(("args", "expected"), [
    (["cycle", "show"], "缺少参数 cycle"),
    (["cycle", "objection", "resolve", "1", "--reason", "x"], "缺少参数 --uphold"),
    (["cycle", "list", "--formt", "json"], "没有这个选项：--formt（您是不是要写 --format）"),
    (["cycle", "show", "abc"], "参数 cycle 的值不对：应为整数"),
    (["cycle", "show", "1", "2"], "多余的参数：2"),
    (["bogus"], "没有这个命令：bogus"),
    (["projects", "report", "--month"], "选项 --month 后缺少取值"),
    (["jobs", "notify", "--threshold", "2"], "参数 --threshold 的值不对：应不大于 1.0"),
    (["jobs", "notify", "--threshold", "x"], "参数 --threshold 的值不对：应为数字"),
    (["stats", "targets", "--region", "聊城市", "--year", "2026", "--format", "xml"], "「xml」不是可选的值"),
    (["projects", "targets", "--month", "2026-01", "--format", "xml"], "「xml」不对：输出格式应为 text 或 json"),
    (["unit", "show", "X", "--format", "xml"], "「xml」不对：输出格式应为 table 或 json"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_usage_mistakes_in_chinese_exit_2(capsys, args, expected):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    assert exit_.value.code == 2 and out.out == ""
    err = "".join(out.err.split())  # the console wraps long lines
    assert "".join(expected.split()) in err and err.startswith("错误：") and "--help查看用法" in err
    for english in ENGLISH:
        assert english not in out.err


def test_emit_refuses_an_unknown_format():
    from zhida.cliutil import emit
    from zhida.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="输出格式「xml」不支持：应为 text 或 json"):
        emit({}, "xml", "")


@pytest.mark.parametrize("fmt", ["table", "text"])
def test_table_is_a_synonym_of_text(capsys, fmt):
    main(["unit", "regions", "--format", fmt])
    out = capsys.readouterr().out
    assert "行政区划" in out and "茌平区" in out and not out.lstrip().startswith("{")


def test_json_output_is_only_json(capsys):
    import json

    main(["unit", "regions", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["home"] == "371503" and any(c["name"] == "茌平区" for c in data["counties"])
