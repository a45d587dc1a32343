"""``zhida jobs …``: import, occupation coding, matching, SMS notices, fair counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from zhida.cliutil import TableFormatOpt, command_group, db_session, emit, parse_date
from zhida.errors import ValidationFailed


def _count_between(lo: int, hi: int, what: str) -> Callable[[int], int]:
    """An option callback refusing counts outside [lo, hi] with a Chinese message."""

    def check(value: int) -> int:
        if value is not None and not lo <= value <= hi:
            raise typer.BadParameter(f"「{value}」不在范围内：{what}应为 {lo}–{hi} 的整数")
        return value

    return check


def _read_titles(path: Path) -> list[str]:
    """The column 职位名称 of a CSV or XLSX file (``ValidationFailed`` naming the columns if it has none)."""
    from zhida.imports.reader import read_table

    table = read_table(path)
    headers = [h.strip() for h in table.headers]
    if "职位名称" not in headers:
        raise ValidationFailed(f"{path.name}：缺少列「职位名称」（现有列：{'、'.join(headers)}）")
    col = headers.index("职位名称")
    return [c or "" for c in table.column(col).to_list()]


def _titles_table(result: list[dict[str, Any]]) -> Table:
    table = Table("职位名称", "职业代码", "职业名称", "得分", "置信度")
    for r in result:
        first: dict[str, Any] = r["codes"][0] if r["codes"] else {"code": "—", "name": "无法编码", "score": 0}
        table.add_row(
            r["title"],
            first["code"],
            first["name"],
            f"{first['score']:.3f}",
            f"{r['confidence']:.2f}" + ("（待复核）" if r["review"] else ""),
        )
    return table


def jobs_import(
    kind: str = typer.Argument(..., help="jobs（招聘岗位）或 seekers（求职登记）"),
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验不写入"),
    errors_out: Path = typer.Option(None, "--errors-out", help="把错误写成 XLSX 报告"),
    ignore_unknown: bool = typer.Option(False, "--ignore-unknown", help="忽略未知的列"),
) -> None:
    """导入招聘岗位或求职登记（与 zhida import jobs/seekers 相同）。"""
    from zhida.imports.cli import import_file
    from zhida.jobs.cache import invalidate

    if kind not in ("jobs", "seekers"):
        raise ValidationFailed(f"导入类型「{kind}」不对：应为 jobs 或 seekers")
    import_file(kind, file, dry_run, errors_out, ignore_unknown)
    invalidate()


def jobs_code_titles(
    file: Path = typer.Argument(..., help="含「职位名称」列的 CSV 或 XLSX"),
    top: int = typer.Option(
        5, "--top", callback=_count_between(1, 50, "每个职位给出的代码数"), help="每个职位给出的代码数（1–50）"
    ),
    fmt: str = TableFormatOpt,
) -> None:
    """把职位名称编码为职业分类大典（2022）代码。"""
    from zhida.jobs.coder import confidence, default_coder, low_confidence

    titles = _read_titles(file)
    result = [
        {
            "title": t,
            "codes": [{"code": c.code, "name": c.name, "score": c.score} for c in found[:top]],
            "confidence": round(confidence(found), 3),
            "review": low_confidence(found),
        }
        for t, found in zip(titles, default_coder().code_many(titles, max(top, 2)), strict=True)
    ]
    emit(result, fmt, _titles_table(result))


def jobs_match(
    side: str = typer.Argument(..., help="seeker（为求职者找岗位）或 job（为岗位找求职者）"),
    ident: int = typer.Argument(..., help="求职者或岗位编号"),
    top: int = typer.Option(20, "--top", callback=_count_between(1, 200, "结果条数"), help="结果条数（1–200）"),
    fmt: str = TableFormatOpt,
) -> None:
    """人岗匹配，每条结果说明得分构成。"""
    from zhida.jobs import service

    if side not in ("seeker", "job"):
        raise ValidationFailed(f"「{side}」不对：应为 seeker 或 job")
    with db_session() as session:
        if side == "seeker":
            views = service.job_match_views(session, service.match_jobs_for_seeker(session, ident, top))
        else:
            views = service.seeker_match_views(session, service.match_seekers_for_job(session, ident, top))
    table = Table("排名", "编号", "岗位" if side == "seeker" else "求职者", "得分", "说明")
    for i, v in enumerate(views, 1):
        table.add_row(str(i), str(v.id), v.label, f"{v.score:.3f}", v.explanation)
    emit(views, fmt, table)


def jobs_notify(
    since: str = typer.Option(None, "--since", help="发布日期起（YYYY-MM-DD），默认今天"),
    threshold: float = typer.Option(0.6, "--threshold", min=0.0, max=1.0),
) -> None:
    """新岗位匹配度达到阈值时，通过发件箱给求职者发短信（每人每岗只发一次）。"""
    from zhida.jobs.notify import notify_new_jobs

    day = parse_date(since)
    with db_session() as session:
        n = notify_new_jobs(session, day, threshold)
    typer.echo(f"已加入发件箱：{n} 条岗位推荐短信")


def jobs_fair_counts(fair_id: int = typer.Argument(..., help="招聘会编号")) -> None:
    """招聘会统计：参会单位、岗位、报名、面试、录用。"""
    from zhida.jobs.fairs import fair_counts

    with db_session() as session:
        c = fair_counts(session, fair_id)
    typer.echo(
        f"参会单位 {c.employers}，岗位 {c.jobs}（{c.positions} 人），报名 {c.registered}，"
        f"面试 {c.interviewed}，录用 {c.hired}"
    )


COMMANDS = (
    ("import", jobs_import),
    ("code-titles", jobs_code_titles),
    ("match", jobs_match),
    ("notify", jobs_notify),
    ("fair-counts", jobs_fair_counts),
)


def register(app: typer.Typer) -> None:
    """Add ``zhida jobs …``."""
    app.add_typer(command_group("就业服务：岗位与求职者导入、职业编码、人岗匹配、招聘会", COMMANDS), name="jobs")
