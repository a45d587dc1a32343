"""Bank batch files (代发文件) out, bank return files (回盘) in.

Export is crash-safe: one transaction creates the batch, its transfer lines (each with a
业务参考号) and marks the payments 已导出; the files are written afterwards from the
database, atomically, and the batch is marked written. A crash between the two leaves a
batch without files, which the next export writes (the same bytes) before anything else.
A payment never gets a second line unless its earlier one came back 失败 and was corrected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import socket
from decimal import Decimal
from pathlib import Path

from sqlalchemy import String as SqlString
from sqlalchemy import and_, cast, func, insert, literal, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.db import rowcount, session_scope
from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import Batch, Cycle, Entitlement, Payment, Transfer, analyze, now
from zhida.delivery.schemas import BatchView, ExportResult
from zhida.delivery.states import CycleState
from zhida.errors import Conflict, NotFound, StateError
from zhida.money import fen_to_yuan
from zhida.platform import audit
from zhida.roles import Actor, Role

HEADERS = ["序号", "户名", "账号", "开户行", "金额", "用途", "业务参考号"]
RETURN_HEADERS = ("业务参考号", "状态", "失败原因")
CENT = Decimal("0.01")
CLAIM_TTL = dt.timedelta(minutes=30)
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _ready(cycle_id: int):
    P, E = Payment, Entitlement
    join = and_(E.cycle_id == P.cycle_id, E.uscc == P.uscc)
    ok = and_(P.cycle_id == cycle_id, P.status == "待导出", E.hold_reason.is_(None), E.objection_open.is_(False),
              E.excluded.is_(None))
    return join, ok


def create_batch(session: Session, actor: Actor, cycle_id: int) -> Batch | None:
    """Put every ready payment of the cycle into a new batch; None when there is nothing to export."""
    actor.require(Role.OPERATOR, action="导出代发文件")
    cycle = get_cycle(session, cycle_id, lock=True)
    if cycle.state != CycleState.PAYING:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，批准开始发放后才能导出代发文件")
    P, E = Payment, Entitlement
    join, ok = _ready(cycle_id)
    with_account = and_(ok, P.account_no.is_not(None), P.account_no != "")
    if not session.scalar(select(func.count()).select_from(P).join(E, join).where(with_account)):
        return None
    seq = (session.scalar(select(func.max(Batch.seq)).where(Batch.cycle_id == cycle_id)) or 0) + 1
    batch = Batch(cycle_id=cycle_id, seq=seq, rows=0, total_fen=0, created_by=actor.username, created_at=now())
    session.add(batch)
    session.flush()
    ref = literal("ZD") + cast(P.id * 100 + P.attempts + 1, SqlString)
    src = (select(ref, P.id, literal(batch.id), P.attempts + 1, func.row_number().over(order_by=P.id),
                  P.amount_fen, P.account_name, P.account_no, P.bank_name, literal("已导出"))
           .select_from(P).join(E, join).where(with_account))
    cols = ["ref", "payment_id", "batch_id", "attempt", "line_no", "amount_fen", "account_name", "account_no",
            "bank_name", "status"]
    session.execute(insert(Transfer).from_select(cols, src))
    analyze(session, "delivery_transfers")
    in_batch = select(Transfer.payment_id).where(Transfer.batch_id == batch.id)
    session.execute(update(P).where(P.id.in_(in_batch)).values(status="已导出", attempts=P.attempts + 1)
                    .execution_options(synchronize_session=False))
    rows, total = session.execute(select(func.count(), func.coalesce(func.sum(Transfer.amount_fen), 0))
                                  .where(Transfer.batch_id == batch.id)).one()
    batch.rows, batch.total_fen = rows, int(total)
    audit.record(session, actor=actor, action="导出代发文件", entity="batch", entity_id=batch.id,
                 after={"cycle_id": cycle_id, "seq": seq, "rows": rows, "total_fen": batch.total_fen})
    session.flush()
    return batch


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _lines(session: Session, batch: Batch, purpose: str):
    stmt = (select(Transfer.line_no, Transfer.account_name, Transfer.account_no, Transfer.bank_name,
                   Transfer.amount_fen, Transfer.ref).where(Transfer.batch_id == batch.id)
            .order_by(Transfer.line_no).execution_options(yield_per=20000))
    for n, name, acct, bank, fen, ref in session.execute(stmt):
        yield [n, name or "", acct or "", bank or "", fen_to_yuan(fen), purpose, ref]


def write_batch_files(session: Session, batch_id: int, out_dir: Path) -> BatchView:
    """Write a batch's CSV, XLSX and control file (same content every time) and mark it written."""
    from openpyxl import Workbook

    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"代发批次 {batch_id} 不存在")
    cycle = get_cycle(session, batch.cycle_id)
    purpose = f"{cycle.policy_name}{cycle.period}"[:30]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"代发-批次{cycle.id}-第{batch.seq:03d}批"
    csv_rows = [HEADERS]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("代发明细")
    sheets.append(ws, HEADERS)
    for line in _lines(session, batch, purpose):
        csv_rows.append([*line[:4], line[4].quantize(CENT), *line[5:]])
        sheets.append(ws, [*line[:4], float(line[4]), *line[5:]])
    total = fen_to_yuan(batch.total_fen)
    sheets.append(wb.create_sheet("控制信息"), ["笔数", batch.rows, "合计金额（元）", float(total)])
    data = sheets.csv_bytes(csv_rows)
    csv_path, xlsx_path = stem.with_suffix(".csv"), stem.with_suffix(".xlsx")
    _atomic_write(csv_path, data)
    sheets.save(wb, xlsx_path)
    sha = hashlib.sha256(data).hexdigest()
    control = f"批次号,{cycle.id}-{batch.seq:03d}\r\n笔数,{batch.rows}\r\n合计金额（元）,{total:.2f}\r\nCSV文件SHA-256,{sha}\r\n"
    _atomic_write(stem.with_name(stem.name + "-控制.txt"), control.encode("utf-8-sig"))
    batch.file_csv, batch.file_xlsx, batch.sha256, batch.written_at = str(csv_path), str(xlsx_path), sha, now()
    session.flush()
    return batch_view(batch)


def batch_view(b: Batch) -> BatchView:
    return BatchView(id=b.id, seq=b.seq, rows=b.rows, total_fen=b.total_fen, file_csv=b.file_csv,
                     file_xlsx=b.file_xlsx, sha256=b.sha256)


def default_out_dir(cycle_id: int) -> Path:
    from zhida.config import get_settings

    return Path(get_settings().data_dir) / "bank" / f"cycle-{cycle_id}"


def _claim(engine: Engine, cycle_id: int) -> str:
    """Compare-and-set the cycle's export claim; a concurrent export gets ``Conflict`` (HTTP 409).

    A claim left by a process that died on this machine, or older than 30 minutes, is taken over.
    """
    token, at = f"{_HOST}:{os.getpid()}:{secrets.token_hex(4)}", now()
    with session_scope(engine) as s:
        free = or_(Cycle.export_claim.is_(None), Cycle.export_claimed_at < at - CLAIM_TTL)
        res = s.execute(update(Cycle).where(Cycle.id == cycle_id, free).values(export_claim=token, export_claimed_at=at)
                        .execution_options(synchronize_session=False))
        if not rowcount(res):
            held = get_cycle(s, cycle_id).export_claim  # NotFound when there is no such cycle
            dead = _claimer_dead(held) and rowcount(s.execute(
                update(Cycle).where(Cycle.id == cycle_id, Cycle.export_claim == held)
                .values(export_claim=token, export_claimed_at=at).execution_options(synchronize_session=False)))
            if not dead:
                raise Conflict(f"发放批次 {cycle_id} 正在由他人导出代发文件，本次未执行：请稍后刷新页面查看导出结果")
    return token


def _claimer_dead(claim: str | None) -> bool:
    """True when the claim was made on this machine by a process that no longer exists."""
    try:
        host, pid_text, _ = (claim or "").split(":")
        pid = int(pid_text)
    except ValueError:
        return False
    if host != _HOST or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _release(engine: Engine, cycle_id: int, token: str) -> None:
    with session_scope(engine) as s:
        s.execute(update(Cycle).where(Cycle.id == cycle_id, Cycle.export_claim == token)
                  .values(export_claim=None, export_claimed_at=None).execution_options(synchronize_session=False))


def export(engine: Engine, actor: Actor, cycle_id: int, out_dir: Path | None = None) -> ExportResult:
    """Write files of batches a crash left unwritten, then export every ready payment.

    One export of a cycle at a time: the cycle's export claim is taken by compare-and-set, and a
    concurrent export raises ``Conflict`` (a ``StateError``); a claim older than 30 minutes (a crashed
    export) is taken over.
    """
    actor.require(Role.OPERATOR, action="导出代发文件")
    token = _claim(engine, cycle_id)
    try:
        return _export(engine, actor, cycle_id, out_dir)
    finally:
        _release(engine, cycle_id, token)


def _export(engine: Engine, actor: Actor, cycle_id: int, out_dir: Path | None) -> ExportResult:
    out_dir = Path(out_dir or default_out_dir(cycle_id))
    result = ExportResult(cycle_id=cycle_id)
    with session_scope(engine) as s:
        pending = list(s.scalars(select(Batch.id).where(Batch.cycle_id == cycle_id, Batch.written_at.is_(None))))
    for bid in pending:
        with session_scope(engine) as s:
            result.batches.append(write_batch_files(s, bid, out_dir))
    with session_scope(engine) as s:
        batch = create_batch(s, actor, cycle_id)
        new_id = batch.id if batch else None
    if new_id is not None:
        with session_scope(engine) as s:
            result.batches.append(write_batch_files(s, new_id, out_dir))
    with session_scope(engine) as s:
        P, E = Payment, Entitlement
        join, ok = _ready(cycle_id)
        result.skipped_no_account = s.scalar(select(func.count()).select_from(P).join(E, join).where(ok)) or 0
        waiting = s.scalar(select(func.count()).select_from(P).join(E, join).where(
            P.cycle_id == cycle_id, P.status == "待导出")) or 0
        result.skipped_held = waiting - result.skipped_no_account
    return result
