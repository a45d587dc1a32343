"""Commands of delivery: ``zhida cycle|pay|report|outbox|audit|calendar …``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from zhida.delivery.cli_outbox import register_audit, register_outbox

    register_outbox(app)
    register_audit(app)
