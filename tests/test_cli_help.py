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
