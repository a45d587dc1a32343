"""Monthly reports (月报): each month the task force reports the investment completed this
year and since the start, and the 形象进度 (a text and a percent), with evidence.

Rules (each refused with a Chinese message naming it):
- a month not yet begun cannot be reported (no report for a future month);
- one report per project and month: a second one is a correction (``correct_report``), and
  the replaced version is kept (``project_report_revisions``);
- the investment completed since the start cannot exceed the total investment, and this
  year's completion cannot exceed the completion since the start;
- 形象进度 is a percent from 0 to 100 with a description;
- the 报送日期 (date reported) lies between the first day of the month and today;
- a correction is based on the revision it was made from: of two corrections of the same
  revision exactly one is applied, the other gets ``Conflict`` (compare-and-set). A correction
  keeps the first 报送日期, so lateness stays judged from the first submission.
A report is due by day ``DUE_DAY`` of the next month (月报次月5日前报送); one received later
is flagged ``late``.

>>> due_date(dt.date(2026, 10, 1))
datetime.date(2026, 11, 5)
>>> parse_month("2026-3")
datetime.date(2026, 3, 1)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhida.db import rowcount
from zhida.errors import Conflict, NotFound, StateError, ValidationFailed
from zhida.platform import audit
from zhida.projects import evidence
from zhida.projects.access import require_update
from zhida.projects.ledger import fen_to_wan
from zhida.projects.models import Project, ProjectReport, ProjectReportRevision
from zhida.roles import Actor

DUE_DAY = 5


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` (or ``YYYY年M月``) → the first day of that month; ``ValidationFailed`` otherwise."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", str(text))
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValidationFailed(f"月份「{text}」格式不对：应为 YYYY-MM，如 2026-10")
    return dt.date(int(m[1]), int(m[2]), 1)


def due_date(month: dt.date) -> dt.date:
    """The day by which the report of ``month`` is due: day ``DUE_DAY`` of the next month."""
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt.replace(day=DUE_DAY)


@dataclass
class ReportIn:
    """A monthly report; money in fen, ``progress_pct`` an integer percent (0–100)."""

    month: dt.date
    year_done_fen: int
    total_done_fen: int
    progress_pct: int
    progress_text: str


def check_report(project: Project, data: ReportIn, today: dt.date) -> None:
    """Refuse a report that breaks a rule above (``ValidationFailed``)."""
    if data.month > today.replace(day=1):
        raise ValidationFailed(f"不能报送未来月份 {data.month:%Y-%m} 的月报：今天是 {today}，只能报送本月及以前的月份")
    if data.total_done_fen > project.total_fen:
        raise ValidationFailed(f"项目「{project.name}」累计完成投资 {fen_to_wan(data.total_done_fen)} 万元超过总投资 "
                               f"{fen_to_wan(project.total_fen)} 万元：累计完成投资不能大于总投资")
    if data.year_done_fen < 0 or data.total_done_fen < 0:
        raise ValidationFailed("完成投资不能为负数")
    if data.year_done_fen > data.total_done_fen:
        raise ValidationFailed("本年完成投资不能大于开工以来累计完成投资")
    if not 0 <= data.progress_pct <= 100:
        raise ValidationFailed(f"形象进度 {data.progress_pct}% 不对：应为 0–100 的整数")
    if not data.progress_text.strip():
        raise ValidationFailed("请填写形象进度说明（如：主体完工、设备安装中）")


def reported_on_error(month: dt.date, reported_on: dt.date, today: dt.date) -> str | None:
    """Why ``reported_on`` (报送日期) cannot be the date of the report of ``month``, or ``None``."""
    if month <= reported_on <= today:
        return None
    return (f"报送日期 {reported_on} 不在允许范围内：{month:%Y年%m月}月报的报送日期应在 {month} 至 {today}"
            "（所报月份首日至今天）之间")


def _snapshot(r: ProjectReport) -> dict:
    return {"月份": f"{r.month:%Y-%m}", "本年完成投资(分)": r.year_done_fen, "累计完成投资(分)": r.total_done_fen,
            "形象进度(%)": r.progress_pct, "形象进度": r.progress_text, "报送日期": r.reported_on,
            "报送人": r.reported_by, "版本": r.revision}


def find_report(session: Session, project_id: int, month: dt.date) -> ProjectReport | None:
    stmt = select(ProjectReport).where(ProjectReport.project_id == project_id, ProjectReport.month == month)
    return session.scalar(stmt)


def submit_report(session: Session, actor: Actor, project: Project, data: ReportIn, today: dt.date) -> ProjectReport:
    """Record the month's report of ``project`` (the task force's; see module rules)."""
    require_update(session, actor, project)
    check_report(project, data, today)
    if find_report(session, project.id, data.month) is not None:
        raise StateError(f"项目「{project.name}」{data.month:%Y年%m月}的月报已报送：同一月份只能报送一次，"
                         "如需修改请提交更正（原报送内容会保留）")
    report = ProjectReport(project_id=project.id, project_code=project.code, month=data.month,
                           year_done_fen=data.year_done_fen, total_done_fen=data.total_done_fen,
                           progress_pct=data.progress_pct, progress_text=data.progress_text.strip(),
                           reported_on=today, reported_by=actor.username, late=today > due_date(data.month),
                           revision=1)
    session.add(report)
    session.flush()
    audit.record(session, actor=actor, action="报送项目月报", entity="project_report", entity_id=report.id,
                 after=_snapshot(report))
    return report


def _compare_and_set(session: Session, report_id: int, revision: int, data: ReportIn) -> bool:
    """Write ``data`` over the report if it is still at ``revision`` (one UPDATE … WHERE revision = ?)."""
    moved = session.execute(
        update(ProjectReport).where(ProjectReport.id == report_id, ProjectReport.revision == revision)
        .values(year_done_fen=data.year_done_fen, total_done_fen=data.total_done_fen, progress_pct=data.progress_pct,
                progress_text=data.progress_text.strip(), revision=revision + 1)
        .execution_options(synchronize_session=False))
    return rowcount(moved) == 1


def correct_report(session: Session, actor: Actor, project: Project, data: ReportIn, today: dt.date,
                   reason: str, revision: int | None = None) -> ProjectReport:
    """Correct (更正) the month's report made from ``revision`` (default: the one read here): the
    old version is kept, the new one counts; ``Conflict`` when someone corrected it meanwhile."""
    require_update(session, actor, project)
    check_report(project, data, today)
    report = find_report(session, project.id, data.month)
    if report is None:
        raise NotFound(f"项目「{project.name}」{data.month:%Y年%m月}尚未报送月报，无需更正")
    if not reason.strip():
        raise ValidationFailed("更正月报需要填写更正原因")
    stale = f"项目「{project.name}」{data.month:%Y年%m月}的月报已被他人更正，请刷新后重试"
    if revision is not None and revision != report.revision:
        raise Conflict(stale)
    before, base = _snapshot(report), report.revision
    if not _compare_and_set(session, report.id, base, data):
        raise Conflict(stale)
    session.add(ProjectReportRevision(report_id=report.id, revision=base, replaced_by=actor.username,
                                      snapshot=json.dumps(before, ensure_ascii=False, default=str)))
    session.flush()
    session.refresh(report)
    audit.record(session, actor=actor, action="更正项目月报", entity="project_report", entity_id=report.id,
                 before=before, after={**_snapshot(report), "更正原因": reason.strip()})
    return report


def attach(session: Session, actor: Actor, project: Project, report: ProjectReport, data_dir: Path, name: str,
           content: bytes):
    """Evidence of a report (a site photo, a document), validated and stored (``evidence.store``)."""
    require_update(session, actor, project)
    row = evidence.store(session, actor, data_dir, "report", report.id, name, content)
    audit.record(session, actor=actor, action="上传月报佐证材料", entity="project_report", entity_id=report.id,
                 after={"文件": row.name, "sha256": row.sha256, "大小": row.size})
    return row


def revisions(session: Session, report_id: int) -> list[ProjectReportRevision]:
    stmt = select(ProjectReportRevision).where(ProjectReportRevision.report_id == report_id)
    return list(session.scalars(stmt.order_by(ProjectReportRevision.revision)))
