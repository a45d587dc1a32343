"""Messages the web sends to units, through the outbox (never sent inline)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from zhida.errors import StateError
from zhida.registry.queries import contact_phone


def send_code(session: Session, username: str, what: str, code: str, valid: str, activation: bool = False) -> None:
    """Queue an SMS with a one-time code to the unit's registered phone.

    The dedupe key starts with ``secret:`` and holds no code: the outbox clears the stored body
    once the message is sent (``zhida.platform.outbox``). Raises ``StateError`` without a phone.
    """
    from zhida.platform import outbox

    phone = contact_phone(session, username)
    if not phone:
        raise StateError(f"单位 {username} 没有登记联系电话，无法发送{what}")
    then = "请在单位门户「激活账号」页面输入，并设置新密码" if activation else "如非本人操作请忽略"
    body = f"【直达】您的单位门户{what}为 {code}，{valid}内有效，{then}。"
    outbox.enqueue(session, channel="sms", recipient=phone, body=body,
                   dedupe_key=f"secret:{'activate' if activation else 'login-code'}:{username}:{secrets.token_hex(8)}")
