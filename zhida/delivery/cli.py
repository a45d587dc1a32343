"""Commands of delivery: ``zhida cycle|pay|report|outbox|audit|calendar …``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from zhida.delivery.cli_cycle import register_cycle
    from zhida.delivery.cli_outbox import register_audit, register_outbox
    from zhida.delivery.cli_pay import register_calendar, register_pay, register_report

    register_cycle(app)
    register_pay(app)
    register_report(app)
    register_outbox(app)
    register_audit(app)
    register_calendar(app)
