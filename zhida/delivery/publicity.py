"""公示: the published list and objections (异议) against units.

Enterprise names and credit codes are public registration data and are published in full, so
that the public can check the list; only natural persons' data is withheld — the name of a
个体工商户 (code 92…) whose registered name is its operator's own name.

A unit under an open objection is neither granted nor paid until staff resolve it:
upheld (成立) takes it out of the cycle, dismissed (不成立) lets it continue.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.delivery.access import require_for_unit
from zhida.delivery.lookup import entitlement, get_cycle
from zhida.delivery.models import Entitlement, Objection, Payment, now
from zhida.delivery.schemas import ObjectionView
from zhida.delivery.states import CycleState
from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.identifiers import mask_name
from zhida.money import fen_to_yuan
from zhida.platform import audit
from zhida.roles import Actor, Role

HEADERS = ["序号", "单位名称", "统一社会信用代码", "镇街", "企业规模", "拟发放金额（元）"]
OBJECTION_STATES = (CycleState.PUBLICITY, CycleState.CONFIRMING, CycleState.READY, CycleState.PAYING)
NOTE = ("说明：单位名称和统一社会信用代码为公开登记信息，全文公示以便社会监督；以个人姓名登记的个体工商户隐去部分姓名。"
        "如有异议，请在公示期内向经办机构反映。")


BUSINESS_WORDS = ("店", "部", "厂", "行", "馆", "坊", "社", "中心", "公司", "场", "站", "所", "院", "庄", "园", "铺", "吧",
                  "屋", "堂", "阁", "居", "楼", "处", "超市", "工作室", "门市")


def public_name(name: str, uscc: str) -> str:
    """The name as published: in full, except a 个体工商户 registered under a person's own name.

    >>> public_name("聊城市茌平区华泰机械有限公司", "91371503MA3C00000X"), public_name("张三丰", "92371503MA3C00000X")
    ('聊城市茌平区华泰机械有限公司', '张**')
    >>> public_name("茌平区张三丰烧烤店", "92371503MA3C00000X")
    '茌平区张三丰烧烤店'
    """
    if uscc.startswith("92") and not any(w in name for w in BUSINESS_WORDS):
        return mask_name(name)
    return name


def publicity_rows(session: Session, cycle_id: int) -> list[list]:
    """The rows of the 公示 list in a stable order (township, then code): full names and codes,
    a natural person's name withheld (``public_name``)."""
    cycle = get_cycle(session, cycle_id)
    if cycle.state in (CycleState.DRAFT, CycleState.REVOKED):
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，审核前或撤销后不能生成公示名单")
    rows = session.execute(select(Entitlement.name, Entitlement.uscc, Entitlement.township, Entitlement.size_class,
                                  Entitlement.amount_fen).where(Entitlement.cycle_id == cycle_id)
                           .order_by(Entitlement.township, Entitlement.uscc))
    return [[i, public_name(n, u), u, t or "", s or "", fen_to_yuan(a)] for i, (n, u, t, s, a) in enumerate(rows, 1)]


def write_publicity(session: Session, cycle_id: int, path: str | Path) -> Path:
    """Write the 公示 list as XLSX (title row, header, rows, total) and return the path."""
    from openpyxl import Workbook

    cycle = get_cycle(session, cycle_id)
    rows = publicity_rows(session, cycle_id)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("公示名单")
    end = f"，公示期至 {cycle.publicity_end}" if cycle.publicity_end else ""
    sheets.append(ws, [f"{cycle.policy_name}（{cycle.period}）拟发放单位名单公示{end}"])
    sheets.append(ws, HEADERS)
    for r in rows:
        sheets.append(ws, [r[0], r[1], r[2], r[3], r[4], float(r[5])])
    sheets.append(ws, ["合计", f"{len(rows)} 户", "", "", "", float(sum(r[5] for r in rows))])
    sheets.append(ws, [NOTE])
    return sheets.save(wb, path)


def _view(o: Objection, name: str | None = None) -> ObjectionView:
    return ObjectionView(id=o.id, cycle_id=o.cycle_id, uscc=o.uscc, name=name, content=o.content, status=o.status,
                         raised_by=o.raised_by, raised_at=o.raised_at, source=o.source, resolution=o.resolution,
                         resolved_by=o.resolved_by)


OBJECTION_SOURCES = ("单位", "群众来信来电", "核查")


def raise_objection(session: Session, actor: Actor, cycle_id: int, uscc: str, content: str,
                    source: str | None = None) -> ObjectionView:
    """Record an objection against one unit.

    Staff (经办, 审核) register objections received by letter, phone or visit against any unit
    (``source`` 群众来信来电, the default, or 核查); a unit account (the web portal) raises one
    for its own unit only, under its own name and role, and its source is always 单位.
    """
    require_for_unit(actor, uscc, Role.OPERATOR, Role.REVIEWER, action="登记异议")
    if actor.role == Role.UNIT:
        source = "单位"
    source = source or "群众来信来电"
    if source not in OBJECTION_SOURCES:
        raise ValidationFailed(f"异议来源「{source}」无效：应为 {'、'.join(OBJECTION_SOURCES)}")
    cycle = get_cycle(session, cycle_id)
    if cycle.state not in OBJECTION_STATES:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，异议只能在公示开始后、发放完成前登记")
    if not content or not content.strip():
        raise ValidationFailed("异议内容不能为空")
    e = entitlement(session, cycle_id, uscc)
    o = Objection(cycle_id=cycle_id, uscc=uscc, content=content.strip(), raised_by=actor.username, raised_at=now(),
                  status="待处理", source=source)
    session.add(o)
    e.objection_open = True
    session.flush()
    audit.record(session, actor=actor, action="登记异议", entity="objection", entity_id=o.id,
                 after={"cycle_id": cycle_id, "uscc": uscc, "content": o.content, "source": source})
    return _view(o, e.name)


def resolve_objection(session: Session, actor: Actor, objection_id: int, *, upheld: bool, reason: str) -> ObjectionView:
    """Resolve an objection with a reason: upheld removes the unit, dismissed lets it be paid."""
    from zhida.delivery.payments import ensure_payment

    actor.require(Role.REVIEWER, Role.OPERATOR, action="处理异议")
    if not reason or not reason.strip():
        raise ValidationFailed("处理异议必须写明理由")
    o = session.get(Objection, objection_id)
    if o is None:
        raise NotFound(f"异议 {objection_id} 不存在")
    if o.status != "待处理":
        raise StateError(f"异议 {objection_id} 已处理（{o.status}）")
    cycle = get_cycle(session, o.cycle_id)
    e = entitlement(session, o.cycle_id, o.uscc)
    before = {"status": o.status, "excluded": e.excluded}
    o.status, o.resolution, o.resolved_by, o.resolved_at = ("成立" if upheld else "不成立"), reason.strip(), actor.username, now()
    session.flush()
    still_open = session.scalar(select(func.count()).where(Objection.cycle_id == o.cycle_id, Objection.uscc == o.uscc,
                                                           Objection.status == "待处理"))
    e.objection_open = bool(still_open)
    if upheld:
        e.excluded = f"异议成立：{o.resolution}"
        pay = session.scalar(select(Payment).where(Payment.cycle_id == o.cycle_id, Payment.uscc == o.uscc))
        if pay is not None and pay.status == "待导出":
            pay.status, pay.cancel_reason = "已取消", e.excluded[:200]
    elif not still_open:
        ensure_payment(session, cycle, e)
    audit.record(session, actor=actor, action="处理异议", entity="objection", entity_id=o.id, before=before,
                 after={"status": o.status, "reason": o.resolution, "excluded": e.excluded})
    return _view(o, e.name)


def list_objections(session: Session, cycle_id: int) -> list[ObjectionView]:
    stmt = (select(Objection, Entitlement.name)
            .join(Entitlement, (Entitlement.cycle_id == Objection.cycle_id) & (Entitlement.uscc == Objection.uscc))
            .where(Objection.cycle_id == cycle_id).order_by(Objection.id))
    return [_view(o, n) for o, n in session.execute(stmt)]
