"""Bank return files (回盘): 业务参考号, 状态 (成功/失败), 失败原因 → payments paid or failed.

All or nothing: any bad row refuses the whole file with one Chinese message per row.
The same file (by content) is applied once: importing it again is refused (``Conflict``, HTTP 409),
also when two imports of it run at the same time (the cycle row is locked on both databases).
A different file repeating earlier rows changes nothing for those rows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhida.platform import audit
from zhida.delivery.cycles import get_cycle
from zhida.delivery.locking import Conflict
from zhida.delivery.models import Batch, Payment, ReturnFile, Transfer, now
from zhida.delivery.schemas import ReturnResult
from zhida.errors import ImportRefused, RowError, StateError
from zhida.imports.reader import read_table
from zhida.money import yuan_to_fen
from zhida.roles import Actor, Role

STATUS = {"成功": "成功", "失败": "失败", "支付成功": "成功", "支付失败": "失败"}


def _columns(table) -> dict[str, int]:
    idx = {h.strip(): i for i, h in enumerate(table.headers) if h}
    missing = [h for h in ("业务参考号", "状态") if h not in idx]
    if missing:
        msg = f"缺少列「{'」「'.join(missing)}」：回盘文件应有 业务参考号、状态（成功/失败）、失败原因 三列"
        raise ImportRefused(f"{table.file_name}：{msg}", [RowError(table.file_name, table.header_row, None, None, msg)])
    return idx


def _rows(table, idx) -> list[dict[str, str]]:
    """Data rows as {header: stripped text} (missing cells are empty strings)."""
    cols = {name: list(table.column(i)) for name, i in idx.items()}
    return [{name: (col[r] or "").strip() for name, col in cols.items()} for r in range(len(table.row_numbers))]


def _cell(row, idx, name):
    return row.get(name, "")


def _decide(table, idx, transfers):
    """Validate every row; return (changes, unchanged, errors)."""
    changes, unchanged, errors, seen = [], 0, [], set()
    f = table.file_name
    for row, rn in zip(_rows(table, idx), table.row_numbers):
        ref, raw = _cell(row, idx, "业务参考号"), _cell(row, idx, "状态")
        t = transfers.get(ref)
        if t is None:
            errors.append(RowError(f, rn, "业务参考号", ref, "本发放批次没有导出过这个业务参考号"))
            continue
        if ref in seen:
            errors.append(RowError(f, rn, "业务参考号", ref, "同一业务参考号在文件中出现了两次"))
            continue
        seen.add(ref)
        status = STATUS.get(raw)
        if status is None:
            errors.append(RowError(f, rn, "状态", raw, "应为 成功 或 失败"))
            continue
        if "金额" in idx and _cell(row, idx, "金额"):
            try:
                ok = yuan_to_fen(_cell(row, idx, "金额")) == t.amount_fen
            except ValueError:
                ok = False
            if not ok:
                errors.append(RowError(f, rn, "金额", _cell(row, idx, "金额"), f"与导出金额 {t.amount_fen / 100:.2f} 不符"))
                continue
        if t.status == status:
            unchanged += 1
        elif t.status != "已导出":
            errors.append(RowError(f, rn, "状态", raw, f"与此前导入的结果（{t.status}）矛盾"))
        else:
            reason = _cell(row, idx, "失败原因") or ("银行未说明原因" if status == "失败" else None)
            changes.append((t, status, reason))
    return changes, unchanged, errors


def import_return(session: Session, actor: Actor, cycle_id: int, path: str | Path) -> ReturnResult:
    """Apply a bank return file to the cycle's transfers and payments."""
    actor.require(Role.OPERATOR, action="导入银行回盘")
    cycle = get_cycle(session, cycle_id, lock=True)
    if cycle.state != "发放中":
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有发放中可以导入银行回盘")
    path = Path(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    done = session.get(ReturnFile, (cycle_id, sha))
    if done is not None:
        raise Conflict(f"回盘文件「{path.name}」与 {done.imported_at:%Y-%m-%d %H:%M} 由 {done.imported_by} 导入的"
                       f"「{done.file_name}」内容相同，已导入过，本次未重复导入")
    table = read_table(path)
    idx = _columns(table)
    transfers = {t.ref: t for t in session.scalars(
        select(Transfer).join(Batch, Batch.id == Transfer.batch_id).where(Batch.cycle_id == cycle_id))}
    changes, unchanged, errors = _decide(table, idx, transfers)
    if errors:
        raise ImportRefused(f"{path.name}：{len(errors)} 处错误，回盘结果一条也没有导入", errors)
    at = now()
    res = ReturnResult(cycle_id=cycle_id, file=path.name, unchanged=unchanged)
    t_rows, p_rows = [], []
    for t, status, reason in changes:
        t_rows.append({"id": t.id, "status": status, "fail_reason": reason, "returned_at": at})
        p_rows.append({"id": t.payment_id, "status": "已支付" if status == "成功" else "失败", "fail_reason": reason})
        if status == "成功":
            res.paid, res.paid_fen = res.paid + 1, res.paid_fen + t.amount_fen
        else:
            res.failed, res.failed_fen = res.failed + 1, res.failed_fen + t.amount_fen
    if t_rows:
        session.execute(update(Transfer), t_rows)
        session.execute(update(Payment), p_rows)
    session.add(ReturnFile(cycle_id=cycle_id, sha256=sha, file_name=path.name[:200], imported_by=actor.username,
                           imported_at=at))
    audit.record(session, actor=actor, action="导入银行回盘", entity="cycle", entity_id=cycle_id,
                 after={"file": path.name, "sha256": sha,
                        "paid": res.paid, "failed": res.failed, "unchanged": res.unchanged,
                        "paid_fen": res.paid_fen, "failed_fen": res.failed_fen})
    session.flush()
    return res
