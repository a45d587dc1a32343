"""免申即享 delivery: cycles, 公示, reminders, confirmation, payments, audit.

Public API (every state-changing call takes a session and an ``Actor``; the caller commits):

Shared infrastructure
    ``outbox.enqueue(session, *, channel, recipient, body, subject=None, dedupe_key)``
    ``outbox.enqueue_many(session, rows)``, ``outbox.process_outbox(engine, sender, batch=100)``,
    ``outbox.work(engine, sender, once=False)``, ``senders.get_sender()``
    ``audit.record(session, *, actor, action, entity, entity_id, before=None, after=None)``,
    ``audit.verify(session) -> VerifyResult``
    ``calendar.add_working_days(d, n)``, ``calendar.is_working_day(d)``, ``calendar.load_calendar(...)``
"""
