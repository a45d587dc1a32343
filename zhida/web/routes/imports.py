"""数据导入: upload a CSV/XLSX/XLS, watch it run, see every row error, download the error report.

The upload is first read in a child process with a memory cap (``imports.probe``), so a file
built to exhaust memory ends the child, not the server.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import ImportRefused, ValidationFailed
from zhida.imports.engine import Progress, refuse_with, run_import
from zhida.imports.probe import probe_file
from zhida.imports.spec import all_kinds, get_kind
from zhida.imports.template import write_template
from zhida.registry.queries import recent_imports as accepted_imports
from zhida.roles import Actor, Role
from zhida.web.deps import EngineDep, OperatorDep, SessionDep
from zhida.web.models import WebTask
from zhida.web.tasks import FAILED, Reporter, get_task, start_task
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 100 * 1024 * 1024
SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls", ".ods"}


def data_dir(request: Request, *parts: str) -> Path:
    path = Path(request.app.state.settings.data_dir, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def error_report_path(request: Request, task_id: str) -> Path:
    return data_dir(request, "import-errors") / f"{task_id}.xlsx"


RECENT = 20


def recent_imports(db: Session, actor: Actor) -> list[dict[str, Any]]:
    """最近导入: accepted imports (``import_log``) and refused ones (failed import tasks, whose
    result keeps the kind, file and error count), newest first. ``report`` is the task id of a
    refused import's error report when this actor may download it, else ``None``."""
    titles = {k.name: k.title for k in all_kinds().values()}
    rows: list[dict[str, Any]] = [{"at": r.imported_at, "kind": titles.get(r.kind, r.kind), "file": r.file_name, "ok": True,
             "rows": r.rows, "inserted": r.inserted, "updated": r.updated, "unchanged": r.unchanged}
            for r in accepted_imports(db, RECENT)]
    failed = db.scalars(select(WebTask).where(WebTask.kind == "import", WebTask.status == FAILED)
                        .order_by(WebTask.created_at.desc()).limit(RECENT))
    for t in failed:
        facts = t.result or {}
        mine = t.owner == actor.username or actor.role == Role.ADMIN
        rows.append({"at": t.finished_at or t.created_at, "kind": titles.get(facts.get("kind", ""), "—"),
                     "file": facts.get("file", t.title), "ok": False, "errors": facts.get("error_count"),
                     "report": t.id if mine and facts.get("error_count") else None})
    rows.sort(key=lambda r: r["at"] or dt.datetime.min, reverse=True)
    return rows[:RECENT]


@router.get("/imports")
def import_page(request: Request, actor: OperatorDep, db: SessionDep) -> Response:
    recent = recent_imports(db, actor)
    return render(request, "imports/index.html", {"kinds": all_kinds().values(), "recent": recent}, actor=actor)


def _save_upload(request: Request, upload: UploadFile) -> Path:
    name = upload.filename or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationFailed(f"文件「{name}」的格式不支持：只接受 .csv、.xlsx、.xlsm 或 .xls")
    target = data_dir(request, "uploads") / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, length=1 << 20)
    if target.stat().st_size > MAX_UPLOAD:
        target.unlink()
        raise ValidationFailed(f"文件「{name}」超过 {MAX_UPLOAD // 1024 // 1024} MB，请拆分后导入")
    return target


@router.post("/imports")
def upload(request: Request, actor: OperatorDep, engine: EngineDep, kind: Annotated[str, Form(max_length=40)],
           file: Annotated[UploadFile, File()], dry_run: Annotated[bool, Form()] = False,
           sheet: Annotated[str, Form(max_length=100)] = "") -> Response:
    spec = get_kind(kind)
    path = _save_upload(request, file)
    shown = Path(file.filename or path.name).name
    memory = request.app.state.settings.import_probe_memory_mb

    def job(rep: Reporter):
        rep.facts.update(kind=spec.name, file=shown)
        try:
            rep.step("读取文件")
            try:
                probe_file(spec.name, path, sheet or None, memory, shown)  # a child process takes the risk
            except ImportRefused as exc:
                raise refuse_with(exc.errors, shown, error_report_path(request, rep.task_id)) from None
            result = run_import(spec.name, path, dry_run=dry_run, engine=engine, actor=actor.username,
                                errors_out=error_report_path(request, rep.task_id), display_name=shown,
                                progress=Progress(rep.step, rep.start, rep.advance), sheet=sheet or None)
        finally:
            path.unlink(missing_ok=True)
        return result.summary(), {"rows": result.rows, "inserted": result.inserted, "updated": result.updated,
                                  "unchanged": result.unchanged, "dry_run": result.dry_run}

    task_id = start_task(engine, "import", f"导入{spec.title}：{shown}", actor, job)
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.get("/imports/template/{kind}")
def template(request: Request, kind: str, actor: OperatorDep) -> Response:
    spec = get_kind(kind)
    path = write_template(spec, data_dir(request, "templates") / f"{spec.name}.xlsx")
    return FileResponse(path, filename=f"{spec.title}-导入模板.xlsx")


@router.get("/imports/errors/{task_id}")
def error_report(request: Request, task_id: str, actor: OperatorDep, db: SessionDep) -> Response:
    task = get_task(db, task_id, actor)
    path = error_report_path(request, task.id)
    if not path.exists():
        from zhida.errors import NotFound

        raise NotFound("该任务没有错误报告")
    return FileResponse(path, filename=f"导入错误报告-{task.created_at:%Y%m%d%H%M}.xlsx")
