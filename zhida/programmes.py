"""Discovery of what each package contributes, so a new programme edits nothing else.

A package ``zhida/<pkg>/`` contributes by the modules it has:

| module | what it exposes | found by |
|---|---|---|
| ``cli.py`` | ``register(app)`` adding its Typer commands | ``zhida.cli`` |
| ``imports.py`` | ``ImportKind``s registered with ``register_kind`` | ``zhida.imports.spec`` |
| ``models.py`` | SQLAlchemy tables (and a migration branch of its own) | ``zhida.db.import_all_models`` |
| ``pages.py`` | ``router`` (FastAPI), ``NAV`` entries ``(path, label, roles)`` | ``zhida.web.app`` |
| ``templates/<pkg>/`` | Jinja2 templates of those pages | ``zhida.web.templating`` |
| ``demo.py`` | ``demo_step(out, console)`` run by ``make demo`` after the core steps | ``zhida.demo.run`` |

>>> "zhida.registry" in packages()
True
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

import zhida

ROOT = Path(zhida.__file__).parent
# the packages of the original console keep their place in menus and help; others follow by name
CORE_ORDER = ["registry", "imports", "demo", "rules", "delivery", "platform", "stats", "jobs", "web"]


def packages() -> list[str]:
    """Every direct subpackage of zhida, core ones first, then the rest alphabetically."""
    found = [m.name for m in pkgutil.iter_modules([str(ROOT)]) if m.ispkg and m.name != "migrations"]
    order = {name: i for i, name in enumerate(CORE_ORDER)}
    return [f"zhida.{n}" for n in sorted(found, key=lambda n: (order.get(n, len(order)), n))]


def modules(name: str, *, skip: tuple[str, ...] = ()) -> list[ModuleType]:
    """The module ``zhida.<pkg>.<name>`` of every package that has one (imported)."""
    out = []
    for pkg in packages():
        if pkg.rsplit(".", 1)[1] in skip:
            continue
        full = f"{pkg}.{name}"
        if importlib.util.find_spec(full) is not None:
            out.append(importlib.import_module(full))
    return out


def programme_names() -> list[str]:
    """Packages beyond the core ones: the programmes added on the platform."""
    return [p.rsplit(".", 1)[1] for p in packages() if p.rsplit(".", 1)[1] not in CORE_ORDER]


def template_dirs() -> list[Path]:
    """``zhida/<pkg>/templates`` of every programme that has one."""
    return [d for d in (ROOT / n / "templates" for n in programme_names()) if d.is_dir()]
