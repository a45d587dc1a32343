"""Reads of the 发放批次 page: open payments by unit with their reason, call tasks a page at a
time, the bank files of a cycle by name, and the reconciliation verdict a clerk can trust.

The page never recomputes money: amounts, statuses and the reconciliation come from the
delivery tables and ``delivery.reconcile``; this module only selects and words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zhida.delivery import queries as delivery_queries
from zhida.money import format_yuan
from zhida.web.paging import Page, PageParams, paginate

# the sections of the page, in order: (anchor, title)
SECTIONS = [("entitlements", "名单"), ("objections", "公示与异议"), ("calls", "提醒与电话"),
            ("payments", "代发与回盘"), ("reconcile", "对账"), ("events", "记录")]


@dataclass(frozen=True)
class OpenPayment:
    """A payment neither paid nor cancelled, with what a clerk must do about it."""

    uscc: str
    name: str
    township: str | None
    status: str
    amount_fen: int
    bank_name: str | None
    account_no: str | None
    fail_reason: str | None
    blocked: bool

    @property
    def why(self) -> str:
        if self.status == "已导出":
            return "已交银行，待回盘"
        if self.status == "失败":
            return f"银行退回：{self.fail_reason or '未说明原因'}"
        if not self.account_no:
            return "没有对公账号"
        return "暂缓或异议未决" if self.blocked else "尚未导出"

    @property
    def actionable(self) -> bool:
        """更正账号 and 取消 apply to payments not with the bank (待导出 or 失败)."""
        return self.status in ("待导出", "失败")


def open_payments(db: Session, cycle_id: int, params: PageParams, status: str = "") -> Page[OpenPayment]:
    """One page of the cycle's open payments (失败 first, then 待导出, then 已导出)."""
    page = paginate(db, delivery_queries.open_payments_stmt(cycle_id, status), params, scalars=False)
    return Page([OpenPayment(**{k: r[k] for k in OpenPayment.__dataclass_fields__}) for r in page.items],
                page.total, page.page, page.size)


def calls_page(db: Session, cycle_id: int, params: PageParams) -> Page[Any]:
    """One page of the cycle's call tasks with the unit name (open ones first)."""
    return paginate(db, delivery_queries.calls_stmt(cycle_id, open_first=True), params, scalars=False)


@dataclass
class Verdict:
    """对账 as the page states it: 平衡 only when the figures balance AND nothing is open."""

    balanced: bool
    problems: list[str] = field(default_factory=list)
    open_count: int = 0
    open_fen: int = 0


def verdict(recon: Any, db: Session, cycle_id: int) -> Verdict:
    """The reconciliation ``recon`` (``delivery.reconcile``) and the payments still open, as one verdict."""
    rows = delivery_queries.open_amounts(db, cycle_id)
    open_fen = sum(f for _, f in rows)
    problems = list(recon.problems)
    by_status: dict[str, int] = {}
    for status, _ in rows:
        by_status[status] = by_status.get(status, 0) + 1
    problems += [f"还有 {n} 笔款项{s}，未结清" for s, n in sorted(by_status.items())]
    return Verdict(recon.balanced and not rows, problems, len(rows), open_fen)


def bank_files(folder: Path) -> list[str]:
    """File names (never paths) of a cycle's bank files: 代发 CSV/XLSX, control files, returns."""
    return sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def export_message(result: Any) -> str:
    """What an export did, naming the files by name only (no server path)."""
    if not result.batches:
        head = "没有待导出的款项"
    else:
        head = "；".join(f"第 {b.seq} 批 {b.rows} 笔，合计 {format_yuan(b.total_fen)} 元，文件 "
                        + "、".join(Path(f).name for f in (b.file_csv, b.file_xlsx) if f) for b in result.batches)
    notes = []
    if result.skipped_no_account:
        notes.append(f"{result.skipped_no_account} 笔缺少对公账号，未导出")
    if result.skipped_held:
        notes.append(f"{result.skipped_held} 笔因异议或暂缓未导出")
    return head + ("；" + "；".join(notes) if notes else "")
