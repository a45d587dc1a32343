"""What-if: the same inputs under changed parameters, against the baseline."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from zhida.money import format_yuan
from zhida.rules.evaluate import STATUS_ZH, Evaluation, summary_counts


@dataclass
class SimulationResult:
    policy_id: str
    overrides: dict[str, str]
    baseline: dict
    scenario: dict
    changes: pl.DataFrame = field(repr=False)  # uscc, name, status/amount before and after

    @property
    def changed(self) -> int:
        return self.changes.height

    def lines(self, limit: int = 20) -> list[str]:
        b, s = self.baseline, self.scenario
        setting = "，".join(f"{k} = {v}" for k, v in self.overrides.items())
        out = [f"模拟：{setting}",
               f"{'':8}{'基线':>18}{'模拟':>18}{'变化':>18}",
               _row("符合单位", b["eligible"], s["eligible"], str),
               _row("待定单位", b["undetermined"], s["undetermined"], str),
               _row("金额合计(元)", b["total_fen"], s["total_fen"], format_yuan),
               f"结果变化的单位 {self.changed} 个" + ("：" if self.changed else "")]
        for r in self.changes.head(limit).iter_rows(named=True):
            out.append(f"  {r['uscc']} {r['name']}：{STATUS_ZH[r['status_before']]} {format_yuan(r['amount_before'])}"
                       f" → {STATUS_ZH[r['status_after']]} {format_yuan(r['amount_after'])} 元")
        if self.changed > limit:
            out.append(f"  …… 另有 {self.changed - limit} 个")
        return out


def _row(label: str, before: int, after: int, fmt) -> str:
    diff = after - before
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return f"{label:<8}{fmt(before):>18}{fmt(after):>18}{sign + fmt(abs(diff)):>18}"


def compare_runs(base: Evaluation, scenario: Evaluation, overrides: dict[str, str]) -> SimulationResult:
    cols = ["uscc", "name", "status", "amount_fen"]
    joined = base.frame.select(cols).join(scenario.frame.select("uscc", "status", "amount_fen"), on="uscc",
                                          suffix="_s", maintain_order="left")
    changes = joined.filter((pl.col("status") != pl.col("status_s")) | (pl.col("amount_fen") != pl.col("amount_fen_s")))
    changes = changes.rename({"status": "status_before", "amount_fen": "amount_before", "status_s": "status_after",
                              "amount_fen_s": "amount_after"})
    return SimulationResult(base.policy.id, dict(overrides), summary_counts(base.frame), summary_counts(scenario.frame),
                            changes)
