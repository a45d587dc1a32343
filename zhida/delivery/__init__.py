"""免申即享 delivery: cycles, 公示, reminders, confirmation, payments, audit.

A cycle (发放批次) freezes the eligible units of one policy run and moves through
草稿 → 审核 → 公示 → 确认期 → 待发放 → 发放中 → 已完成 (or 已撤销); ``states.TRANSITIONS``
says which role makes each move. Every change is appended to the hash-chained audit log.

Public API — ``zhida.delivery.service`` (functions take ``(session, actor, …)``, check the
role, write the audit log; the caller commits):

Cycles
    ``create_cycle(session, actor, run_id, publicity_days=5, confirm_days=10, call_after_days=3,
    recall_after_days=2) -> Cycle``
    ``advance(session, actor, cycle_id, to=None, today=None, note=None)``, ``revoke(session, actor, id, reason)``
    ``recompute(session, actor, cycle_id, run_id=None) -> (Cycle, CycleDiff)``, ``diff_cycles(session, a, b)``
    ``show(session, cycle_id) -> CycleView``, ``list_cycles(session)``, ``set_held(session, actor, id, uscc, reason)``
公示 and objections
    ``publicity_rows(session, id)``, ``write_publicity(session, id, path)``,
    ``raise_objection(session, actor, id, uscc, content)`` (staff for any unit; a Role.UNIT actor for its own),
    ``resolve_objection(session, actor, oid, upheld=, reason=)``,
    ``list_objections(session, id) -> list[ObjectionView]``
Reminders and confirmation
    ``notify(session, actor, cycle)`` (done on entering 确认期), ``make_calls(session, actor, id, today=None)``,
    ``list_calls(session, id, open_only=False)``, ``record_call(session, actor, call_id, outcome, note=None, on=None)``
    (a first call 未接通 is followed by one more after ``recall_after_days``; at most two rounds),
    ``answer(session, actor, id, uscc, decline=False, account_no=None, bank_name=None, account_name=None)``
    (staff for any unit; a Role.UNIT actor for its own; a corrected account also updates the registry)
Payments
    ``export(engine, actor, id, out_dir=None) -> ExportResult`` (commits in steps; crash-safe),
    ``import_return(session, actor, id, path) -> ReturnResult``,
    ``correct_payment(session, actor, id, uscc, account_no=, bank_name=None, account_name=None)`` (a failed
    payment, or one still 待导出 without an account; staff or the unit itself),
    ``cancel_payment(session, actor, id, uscc, reason)`` (待导出 or 失败 → 已取消; 经办 or 审核),
    ``open_payments(session, id) -> str | None`` (why the cycle cannot close: every payment must be 已支付 or 已取消),
    ``reconcile(session, id) -> ReconcileResult`` (``.balanced``), ``cycle_report(session, id) -> CycleReport``,
    ``write_report(report, path)``
Demo
    ``demo.run_demo_cycle(engine, run_id, out_dir) -> str`` (Chinese summary; resumable ``demo.drive``)

Shared infrastructure
    ``outbox.enqueue(session, *, channel, recipient, body, subject=None, dedupe_key)``
    ``outbox.enqueue_many(session, rows)``, ``outbox.process_outbox(engine, sender, batch=100)``,
    ``outbox.work(engine, sender, once=False)``, ``senders.get_sender()``
    ``audit.record(session, *, actor, action, entity, entity_id, before=None, after=None)``,
    ``audit.verify(session) -> VerifyResult``
    ``calendar.add_working_days(d, n)``, ``calendar.is_working_day(d)``, ``calendar.WorkingCalendar.from_session(s)``,
    ``calendar.load_calendar(session, yaml_text)``

Settings (signature, hotline, confirmation URL, SMS e-mail domain, gateway timeout) are the
``delivery_*`` fields of ``zhida.config.Settings`` (env ``ZHIDA_DELIVERY_…``).

Errors are ``zhida.errors`` types: NotFound, StateError, PermissionDenied, ValidationFailed /
ImportRefused (bank return files), CalendarMissing; ``senders.SendFailed`` stays inside the worker.
"""
