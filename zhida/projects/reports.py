"""Monthly reports (月报): each month the task force reports the investment completed this
year and since the start, and the 形象进度 (a text and a percent), with evidence.

Rules (each refused with a Chinese message naming it):
- a month not yet begun cannot be reported (no report for a future month);
- one report per project and month: a second one is a correction (``correct_report``), and
  the replaced version is kept (``project_report_revisions``);
- the investment completed since the start cannot exceed the total investment, and this
  year's completion cannot exceed the completion since the start;
- 形象进度 is a percent from 0 to 100 with a description.
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

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, StateError, ValidationFailed
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


def correct_report(session: Session, actor: Actor, project: Project, data: ReportIn, today: dt.date,
                   reason: str) -> ProjectReport:
    """Correct the month's report: the old version is kept as a revision, the new one counts."""
    require_update(session, actor, project)
    check_report(project, data, today)
    report = find_report(session, project.id, data.month)
    if report is None:
        raise NotFound(f"项目「{project.name}」{data.month:%Y年%m月}尚未报送月报，无需更正")
    if not reason.strip():
        raise ValidationFailed("更正月报需要填写更正原因")
    before = _snapshot(report)
    session.add(ProjectReportRevision(report_id=report.id, revision=report.revision,
                                      snapshot=json.dumps(before, ensure_ascii=False, default=str),
                                      replaced_by=actor.username))
    report.year_done_fen, report.total_done_fen = data.year_done_fen, data.total_done_fen
    report.progress_pct, report.progress_text = data.progress_pct, data.progress_text.strip()
    report.revision += 1
    session.flush()
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
