"""``zhida jobs …``: import, occupation coding, matching, SMS notices, fair counts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhida.errors import ValidationFailed

console = Console()
FORMAT_HELP = "输出格式：table 或 json"


def _count_between(lo: int, hi: int, what: str):
    """An option callback refusing counts outside [lo, hi] with a Chinese message."""

    def check(value: int) -> int:
        if value is not None and not lo <= value <= hi:
            raise typer.BadParameter(f"「{value}」不在范围内：{what}应为 {lo}–{hi} 的整数")
        return value

    return check


def _format(value: str) -> str:
    if value not in ("table", "json"):
        raise typer.BadParameter(f"「{value}」不对：输出格式应为 table 或 json")
    return value


def _read_titles(path: Path) -> list[str]:
    from zhida.imports.reader import read_table

    table = read_table(path)
    headers = [h.strip() for h in table.headers]
    if "职位名称" not in headers:
        raise ValidationFailed(f"{path.name}：缺少列「职位名称」（现有列：{'、'.join(headers)}）")
    col = headers.index("职位名称")
    return [c or "" for c in table.column(col).to_list()]


def code_titles(file: Path, top: int, fmt: str) -> None:
    from zhida.jobs.coder import default_coder

    coder = default_coder()
    titles = _read_titles(file)
    from zhida.jobs.coder import confidence, low_confidence

    result = [{"title": t, "codes": [{"code": c.code, "name": c.name, "score": c.score} for c in found[:top]],
               "confidence": round(confidence(found), 3), "review": low_confidence(found)}
              for t, found in zip(titles, coder.code_many(titles, max(top, 2)))]
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    table = Table("职位名称", "职业代码", "职业名称", "得分", "置信度")
    for r in result:
        first = r["codes"][0] if r["codes"] else {"code": "—", "name": "无法编码", "score": 0}
        table.add_row(r["title"], first["code"], first["name"], f"{first['score']:.3f}",
                      f"{r['confidence']:.2f}" + ("（待复核）" if r["review"] else ""))
    console.print(table)


def show_matches(side: str, ident: int, top: int, fmt: str) -> None:
    from zhida.db import session_scope
    from zhida.jobs import service

    with session_scope() as session:
        if side == "seeker":
            views = service.job_match_views(session, service.match_jobs_for_seeker(session, ident, top))
        else:
            views = service.seeker_match_views(session, service.match_seekers_for_job(session, ident, top))
    if fmt == "json":
        typer.echo(json.dumps([v.__dict__ for v in views], ensure_ascii=False, indent=1, default=str))
        return
    table = Table("排名", "编号", "岗位" if side == "seeker" else "求职者", "得分", "说明")
    for i, v in enumerate(views, 1):
        table.add_row(str(i), str(v.id), v.label, f"{v.score:.3f}", v.explanation)
    console.print(table)


def register(app: typer.Typer) -> None:
    jobs = typer.Typer(help="就业服务：岗位与求职者导入、职业编码、人岗匹配、招聘会", no_args_is_help=True)

    @jobs.command("import")
    def import_cmd(kind: str = typer.Argument(..., help="jobs（招聘岗位）或 seekers（求职登记）"),
                   file: Path = typer.Argument(..., help="CSV 或 XLSX 文件"),
                   dry_run: bool = typer.Option(False, "--dry-run", help="只校验不写入"),
                   errors_out: Path = typer.Option(None, "--errors-out", help="把错误写成 XLSX 报告"),
                   ignore_unknown: bool = typer.Option(False, "--ignore-unknown", help="忽略未知的列")) -> None:
        """导入招聘岗位或求职登记（与 zhida import jobs/seekers 相同）。"""
        from zhida.imports.cli import import_file

        if kind not in ("jobs", "seekers"):
            raise ValidationFailed(f"导入类型「{kind}」不对：应为 jobs 或 seekers")
        import_file(kind, file, dry_run, errors_out, ignore_unknown)
        from zhida.jobs.cache import invalidate

        invalidate()

    @jobs.command("code-titles")
    def code_titles_cmd(file: Path = typer.Argument(..., help="含「职位名称」列的 CSV 或 XLSX"),
                        top: int = typer.Option(5, "--top", callback=_count_between(1, 50, "每个职位给出的代码数"),
                                                help="每个职位给出的代码数（1–50）"),
                        fmt: str = typer.Option("table", "--format", callback=_format, help=FORMAT_HELP)) -> None:
        """把职位名称编码为职业分类大典（2022）代码。"""
        code_titles(file, top, fmt)

    @jobs.command("match")
    def match_cmd(side: str = typer.Argument(..., help="seeker（为求职者找岗位）或 job（为岗位找求职者）"),
                  ident: int = typer.Argument(..., help="求职者或岗位编号"),
                  top: int = typer.Option(20, "--top", callback=_count_between(1, 200, "结果条数"),
                                          help="结果条数（1–200）"),
                  fmt: str = typer.Option("table", "--format", callback=_format, help=FORMAT_HELP)) -> None:
        """人岗匹配，每条结果说明得分构成。"""
        if side not in ("seeker", "job"):
            raise ValidationFailed(f"「{side}」不对：应为 seeker 或 job")
        show_matches(side, ident, top, fmt)

    @jobs.command("notify")
    def notify_cmd(since: str = typer.Option(None, "--since", help="发布日期起（YYYY-MM-DD），默认今天"),
                   threshold: float = typer.Option(0.6, "--threshold", min=0.0, max=1.0)) -> None:
        """新岗位匹配度达到阈值时，通过发件箱给求职者发短信（每人每岗只发一次）。"""
        from zhida.db import session_scope
        from zhida.jobs.notify import notify_new_jobs

        day = dt.date.fromisoformat(since) if since else None
        with session_scope() as session:
            n = notify_new_jobs(session, day, threshold)
        console.print(f"已加入发件箱：{n} 条岗位推荐短信", highlight=False)

    @jobs.command("fair-counts")
    def fair_counts_cmd(fair_id: int = typer.Argument(..., help="招聘会编号")) -> None:
        """招聘会统计：参会单位、岗位、报名、面试、录用。"""
        from zhida.db import session_scope
        from zhida.jobs.fairs import fair_counts

        with session_scope() as session:
            c = fair_counts(session, fair_id)
        console.print(f"参会单位 {c.employers}，岗位 {c.jobs}（{c.positions} 人），报名 {c.registered}，"
                      f"面试 {c.interviewed}，录用 {c.hired}", highlight=False)

    app.add_typer(jobs, name="jobs")

