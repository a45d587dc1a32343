"""Typed results of the delivery service (what the CLI prints and the web serialises).

Table models never leave the service; these do.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from zhida.money import format_yuan


class EventView(BaseModel):
    from_state: str | None
    to_state: str
    actor: str
    role: str
    at: dt.datetime
    note: str | None = None


class CycleView(BaseModel):
    id: int
    run_id: int
    policy_id: str
    policy_name: str
    period: str
    state: str
    parent_id: int | None
    units: int
    total_fen: int
    published_on: dt.date | None
    publicity_end: dt.date | None
    confirm_start: dt.date | None
    confirm_deadline: dt.date | None
    confirmation: dict[str, int] = {}
    open_objections: int = 0
    held: int = 0
    payments: dict[str, int] = {}
    next_states: list[str] = []
    events: list[EventView] = []

    def summary(self) -> str:
        lines = [f"发放批次 {self.id}：{self.policy_name}（{self.period}），状态 {self.state}",
                 f"  名单 {self.units} 户，应发 {format_yuan(self.total_fen)} 元（来自测算 {self.run_id}）"]
        if self.published_on:
            lines.append(f"  公示 {self.published_on} 起，至 {self.publicity_end} 止（工作日计）")
        if self.confirm_deadline:
            lines.append(f"  确认期 {self.confirm_start} 起，截止 {self.confirm_deadline}")
        if self.confirmation:
            lines.append("  确认情况：" + "，".join(f"{k} {v}" for k, v in self.confirmation.items()))
        if self.open_objections or self.held:
            lines.append(f"  未处理异议 {self.open_objections} 件，暂缓 {self.held} 户")
        if self.payments:
            lines.append("  款项：" + "，".join(f"{k} {v}" for k, v in self.payments.items()))
        if self.next_states:
            lines.append("  可办理：" + "、".join(self.next_states))
        return "\n".join(lines)


class DiffRow(BaseModel):
    uscc: str
    name: str
    old_fen: int | None
    new_fen: int | None


class CycleDiff(BaseModel):
    old_id: int
    new_id: int
    added: list[DiffRow] = []
    removed: list[DiffRow] = []
    changed: list[DiffRow] = []
    old_total_fen: int = 0
    new_total_fen: int = 0

    def summary(self) -> str:
        return (f"批次 {self.new_id} 与批次 {self.old_id} 相比：新增 {len(self.added)} 户，减少 {len(self.removed)} 户，"
                f"金额变化 {len(self.changed)} 户；应发 {format_yuan(self.old_total_fen)} → "
                f"{format_yuan(self.new_total_fen)} 元")


class ObjectionView(BaseModel):
    id: int
    cycle_id: int
    uscc: str
    name: str | None = None
    content: str
    status: str
    raised_by: str
    raised_at: dt.datetime
    source: str = "单位"
    resolution: str | None = None
    resolved_by: str | None = None

    def summary(self) -> str:
        tail = f"；处理：{self.resolution}（{self.resolved_by}）" if self.resolution else ""
        return f"异议 {self.id} [{self.status}] {self.uscc} {self.name or ''}：{self.content}{tail}"


class CallView(BaseModel):
    id: int
    uscc: str
    name: str | None = None
    phone: str | None
    round: int
    reason: str
    outcome: str | None = None
    note: str | None = None

    def summary(self) -> str:
        return f"电话 {self.id} {self.uscc} {self.name or ''} {self.phone or '无电话'} {self.reason} → {self.outcome or '待拨打'}"


class CountResult(BaseModel):
    """A bulk action's effect: how many units, and a Chinese sentence."""

    count: int
    message: str

    def summary(self) -> str:
        return self.message


class BatchView(BaseModel):
    id: int
    seq: int
    rows: int
    total_fen: int
    file_csv: str | None
    file_xlsx: str | None
    sha256: str | None

    def summary(self) -> str:
        return (f"第 {self.seq} 批：{self.rows} 笔，合计 {format_yuan(self.total_fen)} 元（控制总额）"
                f"\n  {self.file_csv}\n  {self.file_xlsx}")


class ExportResult(BaseModel):
    cycle_id: int
    batches: list[BatchView] = []
    skipped_no_account: int = 0
    skipped_held: int = 0

    def summary(self) -> str:
        head = f"批次 {self.cycle_id} 没有待导出的款项" if not self.batches else "\n".join(b.summary() for b in self.batches)
        notes = []
        if self.skipped_no_account:
            notes.append(f"{self.skipped_no_account} 笔缺少对公账号，未导出")
        if self.skipped_held:
            notes.append(f"{self.skipped_held} 笔因异议或暂缓未导出")
        return head + ("\n" + "；".join(notes) if notes else "")


class ReturnResult(BaseModel):
    cycle_id: int
    file: str
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    paid_fen: int = 0
    failed_fen: int = 0

    def summary(self) -> str:
        return (f"{self.file}：支付成功 {self.paid} 笔 {format_yuan(self.paid_fen)} 元，失败 {self.failed} 笔 "
                f"{format_yuan(self.failed_fen)} 元，未变 {self.unchanged} 笔")


class ReconLine(BaseModel):
    item: str
    count: int
    fen: int


class ReconcileResult(BaseModel):
    cycle_id: int
    lines: list[ReconLine] = []
    checks: list[str] = []
    problems: list[str] = []

    @property
    def balanced(self) -> bool:
        return not self.problems

    def line(self, item: str) -> ReconLine:
        return next(ln for ln in self.lines if ln.item == item)

    def summary(self) -> str:
        out = [f"批次 {self.cycle_id} 对账："]
        out += [f"  {ln.item:<12}{ln.count:>8} 笔 {format_yuan(ln.fen):>18} 元" for ln in self.lines]
        out.append("  结论：" + ("平衡，分毫不差" if self.balanced else "不平衡"))
        out += [f"  ✗ {p}" for p in self.problems]
        return "\n".join(out)

    def model_dump(self, **kw):  # include the derived flag in JSON
        data = super().model_dump(**kw)
        data["balanced"] = self.balanced
        return data
