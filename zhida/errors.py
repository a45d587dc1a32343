"""The exception tree. Domain code raises these; the CLI and the web translate them.

    ZhidaError                  any failure the user can act on (message in Chinese)
    ├── ConfigError             bad settings
    ├── NotFound                a unit, run, cycle … that does not exist
    ├── ValidationFailed        input refused; carries a list of RowError
    │   └── ImportRefused       a whole import file refused (nothing written)
    ├── PolicyError             a policy file that does not load or type-check
    ├── StateError              an action not allowed in the current state
    ├── PermissionDenied        the actor's role may not do this
    └── CalendarMissing         a year with no working-day calendar loaded
"""

from __future__ import annotations

from dataclasses import dataclass


class ZhidaError(Exception):
    """Base class. ``str(err)`` is a Chinese message a clerk can act on."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConfigError(ZhidaError):
    code = "config"


class NotFound(ZhidaError):
    code = "not_found"


@dataclass(frozen=True)
class RowError:
    """One problem in one cell of an input file.

    ``row`` counts as a person does in Excel: the header is its own row.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def message(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列「{self.column}」")
        val = "" if self.value is None else f" 值 \"{self.value}\""
        head = " ".join(where)
        return f"{self.file}: {head}{val}：{self.expected}".replace(": ：", ": ")


class ValidationFailed(ZhidaError):
    code = "validation"
    exit_code = 2

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.errors = errors or []


class ImportRefused(ValidationFailed):
    code = "import_refused"


class PolicyError(ZhidaError):
    code = "policy"
    exit_code = 2


class StateError(ZhidaError):
    code = "state"


class Conflict(StateError):
    """Someone else changed the object first (compare-and-set lost): refresh and retry."""

    code = "conflict"


class PermissionDenied(ZhidaError):
    code = "permission"


class CalendarMissing(ZhidaError):
    code = "calendar"


# what a database says when two writers race (SQLite's busy lock, PostgreSQL's serialisation
# failure or deadlock, a lock wait that timed out): the web answers 409, the CLI says so in Chinese
DB_RACE_HINTS = ("database is locked", "could not serialize", "deadlock detected", "lock timeout",
                 "could not obtain lock")
