"""Applicants and applications (借款人与贷款申请): entered at the counter, on the portal or
imported from the handling bank.

``submit`` validates the applicant (身份证号 by GB 11643, phone, target group), stores the
application in a savepoint of the caller's transaction, runs the eligibility policy on it and,
when a rule fails, rolls the savepoint back — nothing written — and raises ``ValidationFailed``
naming each rule with its values; rules still unknown (no credit check yet) are decided at
人社初审. A stored application gets a number ``CD<year>-<6 digits>``, the state 待初审 and its
first history event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, ValidationFailed
from zhida.identifiers import validate_id_number, validate_phone
from zhida.loans import params
from zhida.loans.book import next_number
from zhida.loans.eligibility import judge
from zhida.loans.models import Applicant, Application, LoanBank, Partner
from zhida.loans.retirement import birth_of, sex_of
from zhida.loans.schedule import REPAYMENTS
from zhida.money import parse_yuan
from zhida.platform import audit
from zhida.roles import Actor

KINDS = ("个人", "小微企业", "合伙")
CHANNELS = ("网上", "窗口", "银行导入")
MAX_COUNT = 2**31 - 1  # a head count fits the INTEGER column it is stored in


@dataclass
class PersonIn:
    """An individual applicant as entered (身份证号 and phone are validated)."""

    name: str
    id_number: str
    phone: str
    hukou: str = ""
    township: str = ""
    target_group: str = ""
    evidence_ref: str = ""
    graduated_on: dt.date | None = None
    spouse_id_number: str | None = None


@dataclass
class ApplicationIn:
    """An application as entered: amount in 元 (text), rate as text (``3.85%``), term in months."""

    kind: str
    bank_code: str
    amount: str
    months: int
    rate: str
    project: str
    channel: str = "窗口"
    submitted_on: dt.date | None = None
    jobs_created: int = 0
    township: str = ""
    repayment: str = "interest-quarterly"
    region: str = params.DEFAULT_REGION
    person: PersonIn | None = None
    uscc: str | None = None
    staff_count: int | None = None
    new_hires_12m: int | None = None
    partners: list[PersonIn] = field(default_factory=list)


def _id(value: str, who: str) -> str:
    try:
        return validate_id_number(value)
    except ValueError as exc:
        raise ValidationFailed(f"{who}身份证号「{value}」无效：{exc}（公民身份号码应符合 GB 11643-1999）") from None


def person(session: Session, p: PersonIn, online: bool = False) -> Applicant:
    """The stored applicant with this 身份证号, created or updated from ``p``.

    ``online`` (the portal): the name and phone already on file are what the login was checked
    against, so a different one is refused (``ValidationFailed``) — they change at the counter."""
    number = _id(p.id_number, f"{p.name} 的")
    spouse = _id(p.spouse_id_number, f"{p.name} 配偶的") if p.spouse_id_number else None
    try:
        phone = validate_phone(p.phone)
    except ValueError as exc:
        raise ValidationFailed(f"{p.name} 的联系电话「{p.phone}」无效：{exc}") from None
    if not p.name.strip():
        raise ValidationFailed("借款人姓名不能为空")
    a = session.scalars(select(Applicant).where(Applicant.id_number == number)).first() or Applicant(kind="个人")
    if online and a.id is not None:
        _same_on_file(a, p.name.strip(), phone)
    a.name, a.id_number, a.phone, a.sex, a.birth_date = p.name.strip(), number, phone, sex_of(number), birth_of(number)
    a.hukou, a.township, a.target_group = p.hukou or None, p.township or None, p.target_group or None
    a.evidence_ref, a.graduated_on, a.spouse_id_number = p.evidence_ref or None, p.graduated_on, spouse
    session.add(a)
    session.flush()
    return a


def _same_on_file(a: Applicant, name: str, phone: str) -> None:
    from zhida.identifiers import mask_phone

    if (a.name, a.phone) != (name, phone):
        raise ValidationFailed(f"网上申请不能更改已登记的姓名和手机号（已登记：{a.name}，{mask_phone(a.phone or '')}）："
                               "请按登记信息填写；如需更改，请持身份证到窗口办理")


def enterprise(session: Session, uscc: str, staff: int | None, hires: int | None) -> Applicant:
    """A small/micro enterprise applicant from the registry (read through its service)."""
    from zhida.registry.service import get_unit

    unit = get_unit(session, uscc)
    if unit.size_class not in ("小型", "微型"):
        raise ValidationFailed(f"{unit.name} 的企业规模为「{unit.size_class or '未知'}」：创业担保贷款只支持小型、微型企业")
    if staff is None or hires is None or staff < 0 or hires < 0:
        raise ValidationFailed(f"{unit.name}：请填写在职职工人数和近 12 个月新招用符合条件人员数（非负整数）")
    a = session.scalars(select(Applicant).where(Applicant.uscc == unit.uscc)).first() or Applicant(kind="小微企业")
    a.name, a.uscc, a.phone, a.township = unit.name, unit.uscc, unit.phone, unit.township
    a.staff_count, a.new_hires_12m = staff, hires
    session.add(a)
    session.flush()
    return a


def _check(session: Session, data: ApplicationIn) -> None:
    if data.kind not in KINDS:
        raise ValidationFailed(f"申请类型「{data.kind}」不对：应为 {'、'.join(KINDS)}")
    if data.channel not in CHANNELS:
        raise ValidationFailed(f"受理渠道「{data.channel}」不对：应为 {'、'.join(CHANNELS)}")
    if data.repayment not in REPAYMENTS:
        raise ValidationFailed(f"还款方式「{data.repayment}」不对：应为 {'、'.join(REPAYMENTS)}")
    if session.get(LoanBank, data.bank_code) is None:
        raise ValidationFailed(f"经办银行「{data.bank_code}」未登记")
    if not data.project.strip():
        raise ValidationFailed("请填写创业项目名称")
    if not 1 <= int(data.months) <= 120:
        raise ValidationFailed(f"贷款期限 {data.months} 个月不合理：应为 1～120 个月")
    if not 0 <= int(data.jobs_created or 0) <= MAX_COUNT:
        raise ValidationFailed(f"带动就业人数 {data.jobs_created} 不对：应为 0～{MAX_COUNT} 的整数")
    day = data.submitted_on or dt.date.today()
    for p in [data.person, *data.partners]:
        if p is not None and p.graduated_on is not None and p.graduated_on > day:
            raise ValidationFailed(f"{p.name} 的毕业日期 {p.graduated_on} 晚于申请日期 {day}：应填写已毕业的日期")
    if data.kind == "合伙" and len(data.partners) < 2:
        raise ValidationFailed("合伙创业至少应有 2 名合伙人")
    ids = [p.id_number.strip().upper() for p in data.partners]
    if data.kind == "合伙" and len(set(ids)) < len(ids):
        raise ValidationFailed("合伙人重复：同一身份证号只能作为一名合伙人")


def _money(text: str) -> int:
    try:
        fen = parse_yuan(str(text))
    except ValueError as exc:
        raise ValidationFailed(f"贷款金额「{text}」不是有效金额：{exc}") from None
    if fen <= 0:
        raise ValidationFailed("贷款金额应大于 0")
    return fen


def submit(session: Session, actor: Actor, data: ApplicationIn) -> Application:
    """Store a new application after the rules (see module doc); raises ``ValidationFailed``.

    Everything it writes is inside a savepoint, rolled back when the application is refused,
    so a refusal leaves the caller's transaction as it was (a batch may go on with the next)."""
    _check(session, data)
    day = data.submitted_on or dt.date.today()
    with session.begin_nested():
        number = next_number(session, Application, "CD", day.year)  # first: the write lock, then the rest
        app = _store(session, actor, data, number)
    return app


def _store(session: Session, actor: Actor, data: ApplicationIn, number: str) -> Application:
    from zhida.loans.rates import parse_rate

    day = data.submitted_on or dt.date.today()
    online = data.channel == "网上"
    partners = [person(session, p, online) for p in data.partners] if data.kind == "合伙" else []
    main: Applicant | None
    if data.kind == "小微企业":
        main = enterprise(session, data.uscc or "", data.staff_count, data.new_hires_12m)
    else:
        main = partners[0] if partners else person(session, data.person, online) if data.person else None
    if main is None:
        raise ValidationFailed("请填写借款人信息")
    app = Application(kind=data.kind, applicant_id=main.id, bank_code=data.bank_code, amount_fen=_money(data.amount),
                      months=int(data.months), rate=parse_rate(data.rate), repayment=data.repayment,
                      project=data.project.strip(), jobs_created=int(data.jobs_created or 0),
                      township=data.township or main.township, region=data.region, channel=data.channel,
                      submitted_on=day, state="待初审", state_since=day, created_by=actor.username)
    app.number = number
    session.add(app)
    session.flush()
    session.add_all(Partner(application_id=app.id, applicant_id=p.id) for p in partners)
    session.flush()
    verdict = judge(session, app.number, day)
    if verdict.failed:
        raise ValidationFailed(f"贷款申请不予受理（{main.name}）：" + "；".join(verdict.failed))
    _created(session, actor, app)
    return app


def _created(session: Session, actor: Actor, app: Application) -> None:
    from zhida.loans.process import APPLICATION

    APPLICATION.created(session, app, actor, f"提交申请（{app.channel}）")
    audit.record(session, actor=actor, action="提交贷款申请", entity="loan_application", entity_id=app.id,
                 after={"编号": app.number, "借款人": app.applicant_id, "金额(分)": app.amount_fen, "渠道": app.channel})


def get_application(session: Session, key: int | str) -> Application:
    stmt = select(Application).where(Application.number == key if isinstance(key, str) else Application.id == key)
    app = session.scalars(stmt).first()
    if app is None:
        raise NotFound(f"没有贷款申请 {key}")
    return app
