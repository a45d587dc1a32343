"""Bank return files (回盘): 业务参考号, 状态 (成功/失败), 失败原因 → payments paid or failed.

All or nothing: any bad row refuses the whole file with one Chinese message per row.
The same file (by content) is applied once: importing it again is refused (``Conflict``, HTTP 409),
also when two imports of it run at the same time (the cycle row is locked on both databases);
a different file repeating earlier rows changes nothing for those rows. The file goes through the
imports' reader and cell normaliser: title and summary lines above the header
(批量代发交易结果明细, 总笔数：5 …), GBK, XLS/XLSX, extra bank columns, the banks' status
words (``STATUS``) and amounts with thousands separators (``3,543.41``) are understood; an
amount that truly differs is refused with both figures.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhida.delivery.locking import Conflict
from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import Batch, Payment, ReturnFile, Transfer, now
from zhida.delivery.schemas import ReturnResult
from zhida.delivery.states import CycleState
from zhida.errors import ImportRefused, RowError, StateError
from zhida.imports.cells import code
from zhida.imports.fields import Money
from zhida.imports.layout import HeaderSpec, header_key
from zhida.imports.reader import read_table
from zhida.platform import audit
from zhida.roles import Actor, Role

SUCCESS = ("成功", "支付成功", "交易成功", "处理成功", "代发成功", "转账成功", "入账成功", "已入账", "已成功")
FAILURE = ("失败", "支付失败", "交易失败", "处理失败", "代发失败", "转账失败", "入账失败", "已退回", "退回", "退票",
           "已退票", "被退回")
STATUS = {**{w: "成功" for w in SUCCESS}, **{w: "失败" for w in FAILURE}}
# the bank's column names (any of them) → ours
HEADERS = {
    "业务参考号": ("业务参考号", "参考号", "业务编号", "流水号", "客户流水号", "交易参考号"),
    "状态": ("状态", "交易状态", "处理状态", "处理结果", "交易结果"),
    "金额": ("金额", "金额(元)", "交易金额", "交易金额(元)", "付款金额", "实付金额"),
    "失败原因": ("失败原因", "备注", "错误信息", "失败描述", "返回信息"),
}
SPEC = HeaderSpec.of(h for names in HEADERS.values() for h in names)


def _columns(table) -> dict[str, int]:
    """Our column name → position in the file (extra bank columns are ignored)."""
    keys = {header_key(a): ours for ours, names in HEADERS.items() for a in names}
    idx: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        ours = keys.get(header_key(h))
        if ours and ours not in idx:
            idx[ours] = i
    missing = [h for h in ("业务参考号", "状态") if h not in idx]
    if missing:
        msg = f"缺少列「{'」「'.join(missing)}」：回盘文件应有 业务参考号、状态（成功/失败）、失败原因 三列"
        raise ImportRefused(f"{table.file_name}：{msg}", [RowError(table.file_name, table.header_row, None, None, msg)])
    return idx


def _rows(table, idx) -> list[dict[str, str]]:
    """Data rows as {header: stripped text} (missing cells are empty strings)."""
    cols = {name: list(pl.select(code(pl.lit(table.column(i))) if name == "业务参考号" else pl.lit(table.column(i)))
                        .to_series()) for name, i in idx.items()}
    return [{name: (col[r] or "").strip() for name, col in cols.items()} for r in range(len(table.row_numbers))]


def _summary_line(row: dict[str, str]) -> bool:
    """A bank's summary line below the data (总笔数：5、成功金额：… ): no status, a label with a colon."""
    return not row.get("状态") and any(c in row.get("业务参考号", "") for c in ":：")


def _cell(row, idx, name):
    return row.get(name, "")


def _decide(table, idx, transfers):
    """Validate every row; return (changes, unchanged, errors)."""
    changes, unchanged, errors, seen = [], 0, [], set()
    f = table.file_name
    for row, rn in zip(_rows(table, idx), table.row_numbers, strict=True):
        ref, raw = _cell(row, idx, "业务参考号"), _cell(row, idx, "状态")
        t = transfers.get(ref)
        if t is None and _summary_line(row):
            continue
        if t is None:
            errors.append(RowError(f, rn, "业务参考号", ref, "本发放批次没有导出过这个业务参考号"))
            continue
        if ref in seen:
            errors.append(RowError(f, rn, "业务参考号", ref, "同一业务参考号在文件中出现了两次"))
            continue
        seen.add(ref)
        status = STATUS.get(header_key(raw))
        if status is None:
            errors.append(RowError(f, rn, "状态", raw, "应为 成功 或 失败（或 交易成功、处理成功、交易失败、已退回 等）"))
            continue
        if "金额" in idx and _cell(row, idx, "金额"):
            text = _cell(row, idx, "金额")
            values, problems = Money().parse(pl.Series([text], dtype=pl.Utf8))
            if problems[0] is not None:
                errors.append(RowError(f, rn, "金额", text, problems[0]))
                continue
            if values[0] != t.amount_fen:
                errors.append(RowError(f, rn, "金额", text, f"银行回盘金额 {values[0] / 100:,.2f} 元与导出金额 "
                                                           f"{t.amount_fen / 100:,.2f} 元不符"))
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
    if cycle.state != CycleState.PAYING:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有发放中可以导入银行回盘")
    path = Path(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    done = session.get(ReturnFile, (cycle_id, sha))
    if done is not None:
        raise Conflict(f"回盘文件「{path.name}」与 {done.imported_at:%Y-%m-%d %H:%M} 由 {done.imported_by} 导入的"
                       f"「{done.file_name}」内容相同，已导入过，本次未重复导入")
    table = read_table(path, SPEC)
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
