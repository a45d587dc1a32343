"""Messages the web sends to units, through the delivery outbox (never sent inline)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhida.errors import StateError
from zhida.registry.models import Unit


def send_login_code(session: Session, username: str, code: str) -> None:
    """Queue an SMS with a unit's one-time login code to the unit's registered phone."""
    from zhida.platform import outbox

    unit = session.get(Unit, username)
    if unit is None or not unit.phone:
        raise StateError(f"单位 {username} 没有登记联系电话，无法发送验证码，请联系经办人员设置密码")
    body = f"【直达】您的单位门户登录验证码为 {code}，10 分钟内有效。如非本人操作请忽略。"
    outbox.enqueue(session, channel="sms", recipient=unit.phone, body=body,
                   dedupe_key=f"login-code:{username}:{code}")
