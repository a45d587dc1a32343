"""The delivery service: every operation the CLI and the web console call, in one namespace.

State-changing functions take ``(session, actor, …)``, check the actor's role, write the
audit log and leave committing to the caller. ``export`` and ``process_outbox`` take an
engine instead: they commit in steps so that a crash never loses or repeats work.
"""

from __future__ import annotations

from zhida.delivery.bankaccounts import pending as pending_account_changes
from zhida.delivery.bankaccounts import request_change as request_account_change
from zhida.delivery.bankaccounts import review as review_account_change
from zhida.delivery.bankfiles import create_batch, export, write_batch_files
from zhida.delivery.bankreturn import import_return
from zhida.delivery.confirm import answer, grant_unanswered
from zhida.delivery.cycles import advance, create_cycle, diff_cycles, list_cycles, recompute, revoke, set_held, show
from zhida.delivery.lookup import get_cycle
from zhida.delivery.payments import cancel_payment, correct_payment, create_payments, open_payments
from zhida.delivery.publicity import (
                                   list_objections,
                                   publicity_rows,
                                   raise_objection,
                                   resolve_objection,
                                   write_publicity,
)
from zhida.delivery.reconcile import reconcile
from zhida.delivery.reminders import list_calls, make_calls, notify, record_call
from zhida.delivery.report import cycle_report, write_report

__all__ = [
                                   "advance",
                                   "answer",
                                   "cancel_payment",
                                   "correct_payment",
                                   "create_batch",
                                   "create_cycle",
                                   "create_payments",
                                   "cycle_report",
                                   "diff_cycles",
                                   "export",
                                   "get_cycle",
                                   "grant_unanswered",
                                   "import_return",
                                   "list_calls",
                                   "list_cycles",
                                   "list_objections",
                                   "make_calls",
                                   "notify",
                                   "open_payments",
                                   "pending_account_changes",
                                   "publicity_rows",
                                   "raise_objection",
                                   "recompute",
                                   "reconcile",
                                   "record_call",
                                   "request_account_change",
                                   "resolve_objection",
                                   "review_account_change",
                                   "revoke",
                                   "set_held",
                                   "show",
                                   "write_batch_files",
                                   "write_publicity",
                                   "write_report",
]
