"""The individual application form (个人创业担保贷款申请表) as posted by the counter and the portal.

One reading of the form for both channels: whole numbers and the graduation date (read by
``zhida.cliutil.parse_date``) are checked here, with a Chinese ``ValidationFailed`` naming the
field, so a mistyped field is shown on the form again instead of failing the request; the
amount and the rules are checked by ``applications.submit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from zhida.cliutil import parse_date
from zhida.errors import ValidationFailed
from zhida.loans.applications import ApplicationIn, PersonIn

WHOLE_DIGITS = 9


def form_fields(form: Mapping[str, object]) -> dict[str, str]:
    """The posted text fields, stripped (uploads left out)."""
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def whole(text: str, label: str, low: int = 0, high: int | None = None) -> int:
    """A whole number typed in ASCII digits (``str.isdigit`` alone takes 「²」, which ``int``
    refuses), from ``low`` up to ``high`` when given; else ``ValidationFailed`` naming ``label``."""
    kind = f"应为不小于 {low} 的整数" if high is None else f"应为 {low}～{high} 的整数"
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed(f"「{label}」{kind}，收到「{text[:20]}」")
    if high is None and len(text) > WHOLE_DIGITS:  # int() refuses past 4,300 digits; no count is that large
        raise ValidationFailed(f"「{label}」数值过大，收到「{text[:20]}…」（{len(text)} 位数字）")
    if high is not None and (len(text) > len(str(high)) or not low <= int(text) <= high):
        raise ValidationFailed(f"「{label}」{kind}，收到「{text[:20]}」")
    return int(text)


def _whole(form: Mapping[str, str], key: str, label: str) -> int:
    text = form.get(key, "")
    return whole(text, label) if text else 0


def individual_application(form: Mapping[str, str], id_number: str, channel: str, today: dt.date) -> ApplicationIn:
    """An ``ApplicationIn`` of kind 个人 from the form; ``id_number`` is the form's field at the
    counter and the logged-in 身份证号 on the portal.

    Raises ``ValidationFailed`` for a term (期限，月), a job count (带动就业人数) that is not a whole
    number of ASCII digits, or a graduation date (毕业日期) that is not a day of the calendar.
    """
    person = PersonIn(
        form.get("name", ""),
        id_number,
        form.get("phone", ""),
        form.get("hukou", ""),
        form.get("township", ""),
        form.get("group", ""),
        form.get("evidence", ""),
        parse_date(form.get("graduated"), "毕业日期"),
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


COMMENT_CHARS = 500  # as the console's step forms allow


def comment_of(form: Mapping[str, object], key: str, label: str, required: bool = False) -> str:
    """A free-text note of a step (意见、理由、补正说明) from a posted form: at most
    ``COMMENT_CHARS`` characters; ``required``: not blank. Raises ``ValidationFailed`` naming it."""
    text = str(form.get(key) or "").strip()
    if required and not text:
        raise ValidationFailed(f"请填写{label}")
    if len(text) > COMMENT_CHARS:
        raise ValidationFailed(f"「{label}」最多 {COMMENT_CHARS} 个字符，收到 {len(text)} 个：请缩短后重试")
    return text
