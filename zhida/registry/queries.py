"""Read model of the registry for other packages: which units exist and what they are called.

Other packages read units through these functions (or ``zhida.registry.service``), never
through ``zhida.registry.models``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.registry.models import Unit

CHUNK = 500


def unit_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """统一社会信用代码 → registered name, for the codes that are registered (others absent)."""
    wanted = sorted({c for c in codes if c})
    out: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        out.update(session.execute(select(Unit.uscc, Unit.name).where(Unit.uscc.in_(wanted[i:i + CHUNK]))).tuples())
    return out


def registered(session: Session, codes: Iterable[str]) -> set[str]:
    """The codes among ``codes`` that are registered units."""
    return set(unit_names(session, codes))
