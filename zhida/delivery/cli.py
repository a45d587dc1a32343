"""Commands of delivery: ``zhida cycle|pay|report …``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from zhida.delivery.cli_cycle import register_cycle
    from zhida.delivery.cli_pay import register_pay, register_report

    register_cycle(app)
    register_pay(app)
    register_report(app)
