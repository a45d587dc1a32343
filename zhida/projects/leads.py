"""招商: investment leads through 在谈 → 签约 → 落地 → 开工 → 投产, one step at a time, each
with its date; a signed lead becomes a ledger project without retyping (``to_project``).

Sources follow the zone's practice (产业链招商, 靶向招商, 以商招商, 基金招商, 驻外招商).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from zhida.errors import StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.workflow import Process, Step, Transition
from zhida.projects.ledger import ProjectIn, create_project
from zhida.projects.models import InvestmentLead, Project
from zhida.roles import Actor, Role

SOURCES = ("产业链招商", "靶向招商", "以商招商", "基金招商", "驻外招商", "其他")
ORDER_RULE = "招商项目须按 在谈→签约→落地→开工→投产 的顺序逐步推进"


class Stage(StrEnum):
    TALKS = "在谈"
    SIGNED = "签约"
    LANDED = "落地"
    STARTED = "开工"
    PRODUCING = "投产"


DATE_OF = {Stage.TALKS: "talks_on", Stage.SIGNED: "signed_on", Stage.LANDED: "landed_on",
           Stage.STARTED: "started_on", Stage.PRODUCING: "producing_on"}
STAGES = list(Stage)


def dated_in_order(step: Step) -> None:
    """The step's date is given, not in the future, and not before the previous step's date."""
    on, today = step.params.get("on"), step.params["today"]
    if on is None:
        raise StateError(f"{step.transition.action}须填写日期")
    if on > today:
        raise StateError(f"{step.transition.action}日期 {on} 晚于今天 {today}：不能登记未来的日期")
    before = getattr(step.entity, DATE_OF[step.transition.source])
    if before and on < before:
        raise StateError(f"{step.transition.action}日期 {on} 早于{step.transition.source}日期 {before}：{ORDER_RULE}")


def stamp_date(step: Step) -> None:
    setattr(step.entity, DATE_OF[step.transition.target], step.params["on"])


def _step(a: Stage, b: Stage) -> Transition:
    return Transition(a, b, b.value, (Role.OPERATOR,), guards=(dated_in_order,), effects=(stamp_date,))


LEADS = Process("investment_lead", "招商项目", Stage, model=InvestmentLead, audit_entity="investment_lead",
                state_attr="stage", transitions=[_step(a, b) for a, b in itertools.pairwise(STAGES)])


@dataclass
class LeadIn:
    name: str
    investor: str
    source: str
    amount_fen: int
    responsible: str
    talks_on: dt.date
    industry: str | None = None
    township: str | None = None
    uscc: str | None = None


def create_lead(session: Session, actor: Actor, data: LeadIn) -> InvestmentLead:
    """A new lead, in talks (在谈)."""
    actor.require(Role.OPERATOR, action="登记招商项目")
    if data.source not in SOURCES:
        raise ValidationFailed(f"招商方式「{data.source}」不对：应为 {'、'.join(SOURCES)}")
    if data.amount_fen <= 0 or not data.name.strip() or not data.responsible.strip():
        raise ValidationFailed("请填写项目名称、责任人和大于 0 的投资额")
    lead = InvestmentLead(name=data.name.strip(), investor=data.investor.strip(), uscc=data.uscc,
                          industry=data.industry, township=data.township, source=data.source,
                          amount_fen=data.amount_fen, funds_in_place_fen=0, responsible=data.responsible.strip(),
                          stage=Stage.TALKS.value, talks_on=data.talks_on)
    session.add(lead)
    session.flush()
    audit.record(session, actor=actor, action="登记招商项目", entity="investment_lead", entity_id=lead.id,
                 after={"项目": lead.name, "投资方": lead.investor, "方式": lead.source, "投资额(分)": lead.amount_fen})
    return lead


def advance(session: Session, actor: Actor, lead: InvestmentLead, to: str, on: dt.date, today: dt.date):
    """Move a lead one step on (refused out of order, without a date, or dated before the last step)."""
    try:
        LEADS.transition(lead.stage, to)
    except StateError as err:
        raise StateError(f"{ORDER_RULE}：{err.message}") from None
    return LEADS.fire(session, lead, to, actor, on=on, today=today)


def set_funds(session: Session, actor: Actor, lead: InvestmentLead, fen: int) -> None:
    """到位资金 (funds actually in place) of a signed lead."""
    actor.require(Role.OPERATOR, action="登记到位资金")
    if lead.stage == Stage.TALKS.value:
        raise StateError("在谈项目尚未签约，不能登记到位资金")
    if not 0 <= fen <= lead.amount_fen:
        raise ValidationFailed("到位资金应在 0 与签约投资额之间")
    before, lead.funds_in_place_fen = lead.funds_in_place_fen, fen
    audit.record(session, actor=actor, action="登记到位资金", entity="investment_lead", entity_id=lead.id,
                 before={"到位资金(分)": before}, after={"到位资金(分)": fen})


def to_project(session: Session, actor: Actor, lead: InvestmentLead, *, code: str, category: str, level: str,
               plan_year: int, year_plan_fen: int, task_force: str | None = None) -> Project:
    """Turn a signed lead into a ledger project: name, investor, enterprise, industry, township
    and amount are carried over; only what the ledger adds (编号, 类别, 级别, 年度计划) is asked."""
    if lead.stage == Stage.TALKS.value:
        raise StateError(f"招商项目「{lead.name}」尚在谈判，签约后才能转入重点项目台账")
    if lead.project_id is not None:
        raise StateError(f"招商项目「{lead.name}」已转为台账项目 #{lead.project_id}，不能重复转入")
    data = ProjectIn(code=code, name=lead.name, category=category, level=level, plan_year=plan_year,
                     total_fen=lead.amount_fen, year_plan_fen=year_plan_fen, uscc=lead.uscc,
                     enterprise=lead.investor, industry=lead.industry, township=lead.township,
                     status="在建" if lead.started_on else "未开工", actual_start=lead.started_on,
                     task_force=task_force, lead_id=lead.id)
    project = create_project(session, actor, data)
    lead.project_id = project.id
    audit.record(session, actor=actor, action="招商项目转入台账", entity="investment_lead", entity_id=lead.id,
                 after={"项目编号": code, "项目": project.id})
    return project
