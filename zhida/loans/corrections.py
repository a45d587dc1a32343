"""补正 (correction) of an application returned to the applicant: what may be corrected, and how.

An application returned for correction (退回补正) goes back to 待初审 with a note saying what was
corrected (补正说明, required by the process) and, optionally, new values for the fields an
applicant may correct (``CORRECTABLE``). Each field changed is audited with its value before and
after; the eligibility policy judges the corrected application again at 人社初审.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.loans.models import Applicant, Application
from zhida.platform import audit
from zhida.roles import Actor

# form field → (label, attribute of the application, or of the applicant for evidence)
CORRECTABLE = {
    "amount": "申请金额（元）",
    "months": "期限（月）",
    "project": "创业项目",
    "jobs": "带动就业人数",
    "evidence": "证明材料编号",
}


def _parsed(name: str, text: str) -> object:
    from zhida.loans.applications import MAX_COUNT, _money
    from zhida.loans.forms import whole

    if name == "amount":
        return _money(text)
    if name == "months":
        return whole(text, CORRECTABLE[name], 1, 120)
    if name == "jobs":
        return whole(text, CORRECTABLE[name], 0, MAX_COUNT)
    if len(text) > 200:
        raise ValidationFailed(f"「{CORRECTABLE[name]}」最多 200 个字符")
    return text


def correct(session: Session, actor: Actor, app: Application, changes: Mapping[str, str]) -> dict[str, list[object]]:
    """Apply the non-empty ``changes`` (form field → text, fields of ``CORRECTABLE``) to ``app``.

    Returns label → [before, after] of each value that changed (amounts in 分), also audited as
    「补正贷款申请」. Raises ``ValidationFailed`` naming the field for a value that is not valid;
    nothing is changed then."""
    wanted = {k: _parsed(k, v.strip()) for k, v in changes.items() if k in CORRECTABLE and (v or "").strip()}
    applicant = session.get(Applicant, app.applicant_id)
    targets = {
        "amount": (app, "amount_fen"),
        "months": (app, "months"),
        "project": (app, "project"),
        "jobs": (app, "jobs_created"),
        "evidence": (applicant, "evidence_ref"),
    }
    diff: dict[str, list[object]] = {}
    for name, value in wanted.items():
        obj, attr = targets[name]
        if obj is not None and getattr(obj, attr) != value:
            diff[CORRECTABLE[name]] = [getattr(obj, attr), value]
            setattr(obj, attr, value)
    if diff:
        audit.record(
            session,
            actor=actor,
            action="补正贷款申请",
            entity="loan_application",
            entity_id=app.id,
            before={k: v[0] for k, v in diff.items()},
            after={k: v[1] for k, v in diff.items()},
        )
    return diff
