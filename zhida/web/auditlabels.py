"""The audit log in words a reviewer reads: objects as 批次 #2 / 导入 #8, the built-in actor as
系统, and the recorded before/after values with Chinese names instead of raw JSON keys.

>>> describe_object("cycle", "2"), describe_object("import", "8"), describe_object("widget", "x")
('发放批次 #2', '导入 #8', 'widget x')
>>> changes('{"status": "失败", "account_no": "6228"}', '{"status": "待导出"}')
'状态：失败 → 待导出；对公账号：6228 → （空）'
>>> actor_label("system", "admin")
'系统'
"""

from __future__ import annotations

import json

from zhida.roles import ROLE_LABELS, Role

OBJECTS = {"cycle": "发放批次", "entitlement": "发放名单", "objection": "异议", "call": "电话任务", "batch": "代发文件",
           "payment": "款项", "import": "导入", "unit": "单位", "account": "账号", "policy_run": "政策计算"}
KEYS = {"status": "状态", "account_no": "对公账号", "bank_name": "开户银行", "account_name": "户名", "uscc": "统一社会信用代码",
        "cycle_id": "发放批次", "run_id": "政策计算", "parent_id": "原批次", "content": "内容", "reason": "原因",
        "note": "意见", "outcome": "结果", "round": "轮次", "rows": "笔数", "total_fen": "金额（分）", "amount_fen": "金额（分）",
        "seq": "批次序号", "file": "文件", "kind": "类型", "source": "来源", "fail_reason": "失败原因", "excluded": "不予发放",
        "hold_reason": "暂缓原因", "confirmation": "确认情况", "calls": "电话任务数", "sms": "短信数", "no_mobile": "无手机号",
        "on": "日期", "date": "日期", "state": "状态", "units": "单位数", "name": "名称", "phone": "电话",
        "inserted": "新增", "updated": "更新", "unchanged": "未变", "sha256": "文件校验值", "file_name": "文件名"}
SYSTEM_NAMES = {"system": "系统"}


def describe_object(entity: str, entity_id: str) -> str:
    label = OBJECTS.get(entity)
    return f"{label} #{entity_id}" if label else f"{entity} {entity_id}"


def actor_label(name: str, role: str) -> str:
    if name in SYSTEM_NAMES:
        return SYSTEM_NAMES[name]
    try:
        return f"{name}（{ROLE_LABELS[Role(role)]}）"
    except ValueError:
        return name


def _load(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"": text}
    return value if isinstance(value, dict) else {"": value}


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes(before: str | None, after: str | None) -> str:
    """``名称：旧 → 新`` for every key in either side (a key only after is shown as its value)."""
    old, new = _load(before), _load(after)
    parts = []
    for key in dict.fromkeys([*new, *old]):
        label = KEYS.get(key, key)
        head = f"{label}：" if label else ""
        if key in old and key in new and old[key] != new[key]:
            parts.append(f"{head}{_show(old[key])} → {_show(new[key])}")
        elif key in new and key not in old:
            parts.append(f"{head}{_show(new[key])}")
        elif key in old and key not in new:
            parts.append(f"{head}{_show(old[key])} → （空）")
    return "；".join(parts)


def describe(entry) -> tuple[str, str, str, str]:
    """(办理人, 操作, 对象, 内容) of one audit entry."""
    return (actor_label(entry.actor, entry.role), entry.action, describe_object(entry.entity, entry.entity_id),
            changes(entry.before, entry.after))
