"""One entry for every action on a case, from a form or a JSON body (strings in, services called).

``act(session, actor, case_no, op, data, today)`` parses the fields of operation ``op`` and
calls the service; bad fields raise ``ValidationFailed`` in Chinese naming the field. Used by
the console pages and the REST API alike, so both refuse the same input for the same reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from zhida.approvals import alerts, cases, progress
from zhida.approvals.cases import Acceptance, MissingItem
from zhida.cliutil import parse_date
from zhida.errors import ValidationFailed
from zhida.roles import Actor


def _text(data: Mapping, key: str, label: str, required: bool = True) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise ValidationFailed(f"请填写{label}")
    return value


def optional_date(data: Mapping, key: str, label: str) -> dt.date | None:
    """The date in field ``key`` (None when empty); ``ValidationFailed`` naming ``label`` when malformed."""
    raw = str(data.get(key) or "").strip()
    try:
        return parse_date(raw) if raw else None
    except ValidationFailed:
        raise ValidationFailed(f"{label} {raw!r} 格式不对：应为 YYYY-MM-DD") from None


def form_date(data: Mapping, key: str, label: str, today: dt.date) -> dt.date:
    """The date in field ``key``, ``today`` when empty."""
    return optional_date(data, key, label) or today


def _int(data: Mapping, key: str, label: str) -> int:
    raw = str(data.get(key) or "").strip()
    if not raw.isdigit():
        raise ValidationFailed(f"{label}「{raw}」应为正整数（工作日）")
    return int(raw)


def _missing(data: Mapping, today: dt.date) -> list[MissingItem]:
    """容缺 items from ``missing_material``/``missing_due``/``missing_form`` (one or several)."""
    getlist = getattr(data, "getlist", None)
    mats = getlist("missing_material") if getlist else data.get("missing_material") or []
    dues = getlist("missing_due") if getlist else data.get("missing_due") or []
    forms = getlist("missing_form") if getlist else data.get("missing_form") or []
    mats, dues, forms = ([x] if isinstance(x, str) else list(x) for x in (mats, dues, forms))
    out = []
    for i, m in enumerate(mats):
        if not str(m).strip():
            continue
        due = optional_date({"d": dues[i] if i < len(dues) else ""}, "d", f"「{m}」的补交期限")
        if due is None:
            raise ValidationFailed(f"请填写「{m}」的补交期限")
        out.append(MissingItem(str(m).strip(), due, (forms[i] if i < len(forms) else "") or "原件"))
    return out


def _accept(s, a, no, d, t):
    return cases.accept(s, a, no, Acceptance(form_date(d, "on", "受理日期", t), _text(d, "doc_no", "受理文号"),
                                             _missing(d, t), _text(d, "pledge_no", "承诺书编号", False) or None))


def _notify(s, a, no, d, t):
    items = [x.strip() for x in _text(d, "items", "需补正的材料").replace("\n", "；").split("；") if x.strip()]
    return cases.notify_missing(s, a, no, form_date(d, "on", "告知日期", t), items)


def _pause(s, a, no, d, t):
    return progress.start_pause(s, a, no, _text(d, "reason", "中止事由"), form_date(d, "start", "中止开始日期", t),
                                _text(d, "notice_no", "书面告知书文号", False), optional_date(d, "end", "中止结束日期"))


def _extend(s, a, no, d, t):
    return progress.extend(s, a, no, _int(d, "days", "延长天数"), _text(d, "approver", "批准人", False),
                           form_date(d, "on", "延长决定日期", t), _text(d, "reason", "延长理由"))


def _step(s, a, no, d, t):
    start = dt.datetime.combine(form_date(d, "start", "开始日期", t), dt.time(9))
    return progress.add_step(s, a, no, _text(d, "name", "环节名称"), _text(d, "action", "环节动作"),
                             _text(d, "opinion", "意见", False), start)


def _tasks(s, a, no, d, t):
    rows = []
    for line in _text(d, "tasks", "并行任务").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 4 or not parts[3].isdigit():
            raise ValidationFailed(f"并行任务「{line}」格式不对：每行应为 任务名,科室编码,负责人,时限（工作日）")
        rows.append((parts[0], parts[1], parts[2], int(parts[3])))
    return progress.start_tasks(s, a, no, form_date(d, "on", "开始日期", t), rows)


def _decide(s, a, no, d, t):
    return progress.decide(s, a, no, _text(d, "decision", "决定") == "准予", form_date(d, "on", "决定日期", t),
                           _text(d, "opinion", "意见", False), _text(d, "certificate_no", "证照编号", False) or None,
                           optional_date(d, "valid_until", "有效期至"))


OPS: dict[str, tuple[str, Callable]] = {
    "accept": ("受理", _accept),
    "notify": ("一次性告知补正", _notify),
    "supplement": ("补正材料", lambda s, a, no, d, t: cases.supplement(s, a, no, form_date(d, "on", "补正日期", t))),
    "submit": ("提交申请", lambda s, a, no, d, t: cases.submit(s, a, no, form_date(d, "on", "提交日期", t), bool(d.get("at_door")))),
    "pause": ("中止计时", _pause),
    "resume": ("恢复计时", lambda s, a, no, d, t: progress.end_pause(s, a, no, form_date(d, "end", "中止结束日期", t))),
    "extend": ("延长期限", _extend),
    "step": ("办理环节", _step),
    "tasks": ("分派并行任务", _tasks),
    "decide": ("作出决定", _decide),
    "deliver": ("送达", lambda s, a, no, d, t: progress.deliver(s, a, no, form_date(d, "on", "送达日期", t),
                                                              _text(d, "method", "送达方式"))),
    "green": ("纳入绿色通道", lambda s, a, no, d, t: cases.mark_green(s, a, no, _text(d, "helper", "帮办员"),
                                                                  _text(d, "project_ref", "项目编号", False) or None)),
    "service": ("帮办记录", lambda s, a, no, d, t: cases.log_service(s, a, cases.get_case(s, no), _text(d, "stage", "帮办环节"),
                                                                  form_date(d, "on", "日期", t), _text(d, "note", "说明", False))),
    "check": ("事后核查", lambda s, a, no, d, t: progress.record_check(s, a, no, form_date(d, "on", "核查日期", t),
                                                                   _text(d, "outcome", "核查结论"), _text(d, "note", "说明", False))),
    "withdraw": ("撤回", lambda s, a, no, d, t: _withdraw(s, a, no, _text(d, "reason", "撤回理由"))),
    "reject": ("不予受理", lambda s, a, no, d, t: _reject(s, a, no, _text(d, "reason", "不予受理理由"))),
}


def _withdraw(s, a, no, reason):
    from zhida.approvals.states import CASE, CaseState

    return CASE.fire(s, cases.get_case(s, no), CaseState.WITHDRAWN, a, comment=reason)


def _reject(s, a, no, reason):
    from zhida.approvals.states import CASE, CaseState

    return CASE.fire(s, cases.get_case(s, no), CaseState.NOT_ACCEPTED, a, comment=reason)


def act(session: Session, actor: Actor, case_no: str, op: str, data: Mapping, today: dt.date) -> str:
    """Run operation ``op`` on the case; returns the Chinese name of what was done."""
    if op not in OPS:
        raise ValidationFailed(f"未知的办理操作「{op}」：应为 {'、'.join(OPS)}")
    label, fn = OPS[op]
    cases.get_case(session, case_no)
    fn(session, actor, case_no, data, today)
    return label


def finish_task(session: Session, actor: Actor, task_id: int, data: Mapping, today: dt.date) -> str:
    t = progress.finish_task(session, actor, task_id, _text(data, "result", "任务结果"), _text(data, "opinion", "意见", False),
                             form_date(data, "on", "办结日期", today))
    return t.name


def deliver_item(session: Session, actor: Actor, promise_id: int, data: Mapping, today: dt.date) -> str:
    return alerts.deliver_item(session, actor, promise_id, form_date(data, "on", "补交日期", today)).material
