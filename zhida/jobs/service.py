"""Service functions of 就业服务 for the CLI and the web console.

Writes of one record go through the same import kinds as files (``zhida.jobs.imports``),
so a form is refused for exactly the reasons a file row would be, and nothing is written.
Every list output masks seekers' 身份证号, phone and name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, ValidationFailed
from zhida.identifiers import mask_id_number, mask_name, mask_phone
from zhida.imports import validate as validation
from zhida.imports import writer
from zhida.imports.reader import RawTable
from zhida.imports.spec import ImportKind
from zhida.jobs import cache, matcher
from zhida.jobs.imports import JOBS, SEEKERS
from zhida.jobs.models import Job, Seeker
from zhida.jobs.records import job_record, seeker_record
from zhida.jobs.taxonomy import load_taxonomy
from zhida.registry.models import Unit
from zhida.roles import SYSTEM, Actor, Role


@dataclass
class MatchView:
    """A match ready to show: the other side's public fields plus the score parts."""

    id: int
    label: str  # job title with unit, or the masked seeker name
    score: float
    parts: dict[str, float]
    explanation: str
    details: dict[str, object]


def _write_one(session: Session, kind: ImportKind, form: dict[str, object], what: str) -> pl.DataFrame:
    """Validate one record given by Chinese header, write it (insert or update), return the row."""
    headers = [h for h, v in form.items() if v is not None and str(v).strip() != ""]
    cells = pl.DataFrame({f"c{i}": [str(form[h]).strip()] for i, h in enumerate(headers)},
                         schema={f"c{i}": pl.Utf8 for i in range(len(headers))})
    table = RawTable(what, 1, headers, cells, [2])
    frame, errors = validation.validate(kind, table, session)
    if errors:
        raise ValidationFailed(f"{what}未保存：" + "；".join(e.message() for e in errors), errors)
    if kind.transform is not None:
        frame = kind.transform(frame, session)
    present = {c.attr for c in kind.columns if c.header in headers}
    attrs = [c.attr for c in kind.columns if c.attr in present or c.attr in kind.key or c.required]
    attrs += [a for a in kind.derived if a not in attrs]
    writer.apply(session, kind, frame, attrs)
    cache.invalidate()
    return frame


def _next_job_no(session: Session, uscc: str) -> str:
    n = len(session.scalars(select(Job.id).where(Job.uscc == uscc)).all())
    return f"{dt.date.today():%Y%m%d}-{n + 1:04d}"


def post_job(session: Session, form: dict[str, object], actor: Actor = SYSTEM, notify: bool = True) -> Job:
    """Post (or update) a job from a form keyed by the import headers (统一社会信用代码, 职位名称 …).

    A new job is matched against the seekers at once: those above the SMS threshold get a
    message through the outbox (``notify.notify_job``).
    """
    actor.require(Role.OPERATOR, Role.UNIT, action="发布岗位")
    form = dict(form)
    if actor.role == Role.UNIT:
        form["统一社会信用代码"] = actor.uscc
    if not str(form.get("岗位编号") or "").strip() and form.get("统一社会信用代码"):
        form["岗位编号"] = _next_job_no(session, str(form["统一社会信用代码"]).strip().upper())
    key = (str(form.get("统一社会信用代码") or "").strip().upper(), str(form["岗位编号"]).strip())
    is_new = session.scalars(select(Job.id).where(Job.uscc == key[0], Job.job_no == key[1])).first() is None
    frame = _write_one(session, JOBS, form, "岗位")
    row = frame.row(0, named=True)
    job = session.scalars(select(Job).where(Job.uscc == row["uscc"], Job.job_no == row["job_no"])).one()
    if is_new and notify:
        from zhida.jobs.notify import notify_job

        notify_job(session, job.id)
    return job


def register_seeker(session: Session, form: dict[str, object], actor: Actor = SYSTEM) -> Seeker:
    """Register a new seeker; one already registered under the same 身份证号 is refused."""
    actor.require(Role.OPERATOR, action="求职登记")
    raw = str(form.get("身份证号") or "").strip().upper()
    existing = session.scalars(select(Seeker).where(Seeker.id_number == raw)).first() if raw else None
    if existing is not None:
        raise ValidationFailed(f"身份证号 {mask_id_number(raw)} 已登记为求职者（编号 {existing.id}），不能重复登记；"
                               "如需修改请更新原登记")
    frame = _write_one(session, SEEKERS, form, "求职登记")
    return session.scalars(select(Seeker).where(Seeker.id_number == frame["id_number"][0])).one()


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"岗位 {job_id} 不存在")
    return job


def get_seeker(session: Session, seeker_id: int) -> Seeker:
    seeker = session.get(Seeker, seeker_id)
    if seeker is None:
        raise NotFound(f"求职者 {seeker_id} 不存在")
    return seeker


def search_jobs(session: Session, query: str = "", *, township: str | None = None, occupation: str | None = None,
                salary_at_least: int | None = None, include_expired: bool = False, limit: int = 50) -> list[dict]:
    """Jobs by words in the title/description and filters; newest first."""
    stmt = select(Job, Unit.name).join(Unit, Unit.uscc == Job.uscc)
    for word in query.split():
        stmt = stmt.where(or_(Job.title.contains(word), Job.description.contains(word), Unit.name.contains(word)))
    if township:
        stmt = stmt.where(Job.township == township)
    if occupation:
        stmt = stmt.where(Job.occupation_code.startswith(occupation.rstrip("0-") or occupation))
    if salary_at_least is not None:
        stmt = stmt.where(Job.salary_max >= salary_at_least)
    if not include_expired:
        stmt = stmt.where(Job.valid_until >= dt.date.today())
    rows = session.execute(stmt.order_by(Job.id.desc()).limit(limit)).all()
    return [job_view(job, name) for job, name in rows]


def job_view(job: Job, unit_name: str = "") -> dict:
    tax = load_taxonomy()
    return {"id": job.id, "job_no": job.job_no, "title": job.title, "unit": unit_name, "uscc": job.uscc,
            "occupation_code": job.occupation_code, "occupation": tax.name(job.occupation_code or ""),
            "occupation_source": job.occupation_source, "township": job.township,
            "salary": f"{job.salary_min}–{job.salary_max} 元/月", "education": job.education,
            "experience_years": job.experience_years, "headcount": job.headcount,
            "valid_until": job.valid_until.isoformat()}


def seeker_view(s) -> dict:
    """A seeker for lists: 身份证号, phone and name masked."""
    tax = load_taxonomy()
    codes = [c for c in (s.desired_codes or "").split("、") if c] if isinstance(s.desired_codes, str) \
        else list(s.desired_codes)
    return {"id": s.id, "name": mask_name(s.name), "id_number": mask_id_number(s.id_number),
            "phone": mask_phone(s.phone), "desired": s.desired, "desired_codes": codes,
            "occupations": [tax.name(c) for c in codes], "education": s.education,
            "salary_expected": s.salary_expected}


def match_jobs_for_seeker(session: Session, seeker_id: int, top: int = 20) -> list[matcher.Match]:
    """The best jobs for a registered seeker, each with ``.parts`` and a Chinese ``.explanation``."""
    seeker = seeker_record(get_seeker(session, seeker_id))
    return matcher.match_jobs(cache.job_index(session), seeker, top)


def match_seekers_for_job(session: Session, job_id: int, top: int = 20) -> list[matcher.Match]:
    """The best seekers for a posted job (refused for an expired job)."""
    job = get_job(session, job_id)
    if job.valid_until < dt.date.today():
        raise ValidationFailed(f"岗位 {job_id}「{job.title}」已于 {job.valid_until} 过期，不再匹配求职者")
    idx = cache.seeker_index(session)
    return matcher.match_seekers(idx, job_record(job), dt.date.today(), top)


def job_match_views(session: Session, matches: list[matcher.Match]) -> list[MatchView]:
    jobs = {j.id: (j, n) for j, n in session.execute(
        select(Job, Unit.name).join(Unit, Unit.uscc == Job.uscc).where(Job.id.in_([m.target_id for m in matches])))}
    return [MatchView(m.target_id, f"{jobs[m.target_id][0].title}（{jobs[m.target_id][1]}）", m.score, m.parts,
                      m.explanation, job_view(*jobs[m.target_id])) for m in matches]


def seeker_match_views(session: Session, matches: list[matcher.Match]) -> list[MatchView]:
    found = {s.id: s for s in session.scalars(select(Seeker).where(Seeker.id.in_([m.target_id for m in matches])))}
    out = []
    for m in matches:
        view = seeker_view(found[m.target_id])
        out.append(MatchView(m.target_id, view["name"], m.score, m.parts, m.explanation, view))
    return out
