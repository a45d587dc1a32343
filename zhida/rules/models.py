"""Tables of the rules engine: stored policy runs and their per-unit results.

A run is a frozen snapshot: the policy version (hash), the parameter values used, a
fingerprint of the input frame and one result row per evaluated unit, so that a decision
can be reproduced and explained later.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, synonym

from zhida.db import Base

if TYPE_CHECKING:
    from zhida.rules.evaluate import Evaluation


class PolicyRun(Base):
    """One evaluation of one policy for one period over all units.

    ``evaluation`` is not stored: ``run_policy`` sets it to the result frame for exports made
    in the same process; a run read back from the database has ``None``.
    """

    __tablename__ = "policy_runs"
    __allow_unmapped__ = True  # lets the transient ``evaluation`` be declared beside the columns

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy_id: Mapped[str] = mapped_column(String(60), index=True)
    policy_name: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(40), default="unit", server_default="unit")  # 判定对象
    period: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[dt.date] = mapped_column(Date)
    policy_hash: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    input_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    evaluated: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[int] = mapped_column(Integer)
    undetermined: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    evaluation: Evaluation | None = None


class PolicyResult(Base):
    """The decision for one unit in one run, with its reasons."""

    __tablename__ = "policy_results"

    run_id: Mapped[int] = mapped_column(ForeignKey("policy_runs.id", ondelete="CASCADE"), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(40), primary_key=True)  # the judged entity's key (USCC for units)
    key = synonym("uscc")
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))  # eligible | ineligible | undetermined
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    size_class: Mapped[str | None] = mapped_column(String(4))
    township: Mapped[str | None] = mapped_column(String(50))
    industry_section: Mapped[str | None] = mapped_column(String(1))
    insured: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
