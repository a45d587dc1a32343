"""The individual application form (个人创业担保贷款申请表) as posted by the counter and the portal.

One reading of the form for both channels: whole numbers and the graduation date are checked
here, with a Chinese ``ValidationFailed`` naming the field, so a mistyped field is shown on the
form again instead of failing the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from zhida.errors import ValidationFailed
from zhida.loans.applications import ApplicationIn, PersonIn


def form_fields(form: Mapping[str, object]) -> dict[str, str]:
    """The posted text fields, stripped (uploads left out)."""
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def _whole(form: Mapping[str, str], key: str, label: str) -> int:
    text = form.get(key, "")
    if not text:
        return 0
    if not text.isdigit():
        raise ValidationFailed(f"「{label}」应为不小于 0 的整数，收到「{text}」")
    return int(text)


def _date(form: Mapping[str, str], key: str, label: str) -> dt.date | None:
    text = form.get(key, "")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"「{label}」应为日期（如 2024-06-30），收到「{text}」") from None


def individual_application(form: Mapping[str, str], id_number: str, channel: str, today: dt.date) -> ApplicationIn:
    """An ``ApplicationIn`` of kind 个人 from the form; ``id_number`` is the form's field at the
    counter and the logged-in 身份证号 on the portal.

    Raises ``ValidationFailed`` for a term (期限，月), a job count (带动就业人数) that is not a whole
    number, or a graduation date (毕业日期) that is not a date.
    """
    person = PersonIn(
        form.get("name", ""),
        id_number,
        form.get("phone", ""),
        form.get("hukou", ""),
        form.get("township", ""),
        form.get("group", ""),
        form.get("evidence", ""),
        _date(form, "graduated", "毕业日期"),
        form.get("spouse") or None,
    )
    return ApplicationIn(
        kind="个人",
        bank_code=form.get("bank", ""),
        amount=form.get("amount", ""),
        months=_whole(form, "months", "期限（月）"),
        rate=form.get("rate", ""),
        project=form.get("project", ""),
        channel=channel,
        submitted_on=today,
        jobs_created=_whole(form, "jobs", "带动就业人数"),
        township=form.get("township", ""),
        person=person,
    )
