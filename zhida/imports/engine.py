"""Run one import: read, validate, and write all rows in one transaction — or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from zhida.db import get_engine, session_scope
from zhida.errors import ImportRefused, RowError
from zhida.imports import reader, validate, writer
from zhida.imports.layout import header_key
from zhida.imports.report import write_errors_xlsx
from zhida.imports.spec import get_kind
from zhida.roles import SYSTEM, Actor, Role


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool = False
    encoding: str = ""
    notes: list[str] = field(default_factory=list)  # what the reader recognised (title rows, 合计 …)

    def summary(self) -> str:
        head = "校验通过（试运行，未写入）" if self.dry_run else "导入成功"
        text = (f"{head}：{self.file_name} 共 {self.rows} 行；"
                f"新增 {self.inserted}，更新 {self.updated}，未变 {self.unchanged}")
        return text + "".join(f"\n说明：{n}" for n in self.notes)


@dataclass
class Progress:
    """Callbacks for long imports; the CLI plugs a Rich progress bar in, the web a job record."""

    step: Callable[[str], None] = lambda message: None
    start_writing: Callable[[int], None] = lambda total: None
    advance: Callable[[int], None] = lambda n: None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def refuse_with(errors: list[RowError], file_name: str, errors_out: str | Path | None) -> ImportRefused:
    if errors_out:
        write_errors_xlsx(errors, errors_out)
    rows = {e.row for e in errors if e.row is not None}
    if not rows:
        return ImportRefused(f"{file_name} 未导入：" + "；".join(e.expected for e in errors), errors)
    where = f"{len(rows)} 行" if rows else "文件"
    return ImportRefused(f"{file_name} 未导入：发现 {len(errors)} 处错误（涉及{where}），已全部回滚，未写入任何数据", errors)


def run_import(kind_name: str, path: str | Path, *, dry_run: bool = False, errors_out: str | Path | None = None,
               ignore_unknown: bool = False, engine: Engine | None = None, actor: Actor | str = SYSTEM,
               progress: Progress | None = None, display_name: str | None = None,
               sheet: str | None = None) -> ImportResult:
    """Import ``path`` as ``kind_name``. Raises ``ImportRefused`` (nothing written) on any bad row.

    ``sheet`` names the workbook sheet to read (default: the first visible one).
    """
    kind = get_kind(kind_name)
    if isinstance(actor, str):
        actor = Actor(actor, Role.OPERATOR) if actor != SYSTEM.username else SYSTEM
    path = Path(path)
    progress = progress or Progress()
    name = display_name or path.name
    try:
        progress.step("读取文件")
        table = reader.read_table(path, validate.header_spec(kind), sheet)
    except ImportRefused as exc:
        raise refuse_with(exc.errors, name, errors_out) from None
    table.file_name = name
    engine = engine or get_engine()
    with session_scope(engine) as session:
        frame, errors = validate.validate(kind, table, session, ignore_unknown, progress.step)
        if errors:
            raise refuse_with(errors, name, errors_out)
        keys = {header_key(h) for h in table.headers}
        present = {c.attr for c in kind.columns if any(header_key(h) in keys for h in c.headers)}
        absent = [c.attr for c in kind.columns if c.attr not in present and c.attr not in kind.key]
        frame = writer.fill_from_stored(session, kind, frame, absent)
        if kind.transform is not None:
            frame = kind.transform(frame, session)
        attrs = [c.attr for c in kind.columns] + [a for a in kind.derived]
        progress.step("比对已有数据")
        progress.start_writing(frame.height)
        counts = writer.apply(session, kind, frame, attrs, dry_run=dry_run, advance=progress.advance)
        result = ImportResult(kind.name, name, frame.height, counts.inserted, counts.updated, counts.unchanged,
                              dry_run, table.encoding, table.notes)
        if dry_run:
            session.rollback()
            return result
        _log(session, result, _sha256(path), actor)
    return result


def _log(session, result: ImportResult, sha256: str, actor: Actor) -> None:
    """Record the accepted import in ``import_log`` and the audit chain (same transaction)."""
    from zhida.platform.audit import record
    from zhida.registry.models import ImportLog

    entry = ImportLog(kind=result.kind, file_name=result.file_name[:300], sha256=sha256, rows=result.rows,
                      inserted=result.inserted, updated=result.updated, unchanged=result.unchanged)
    session.add(entry)
    session.flush()
    record(session, actor=actor, action="数据导入", entity="import", entity_id=entry.id,
           after={"kind": result.kind, "file": result.file_name, "sha256": sha256, "rows": result.rows,
                  "inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged})
