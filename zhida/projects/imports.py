"""Import kinds of 重点项目: the ledger (projects), monthly reports (project-reports) and custom
field values (project-fields), from the Excel ledgers offices keep. Amounts in 万元.

A report row for a month already reported is a correction: the stored version is kept in
``project_report_revisions``, the revision number goes up, and the first 报送日期 is kept (so is
the lateness judged from it). A project row may not lower 总投资 below the investment already
reported, nor change the type of a project whose declared fields of that type are filled.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy import func, select, tuple_

from zhida.errors import RowError, ValidationFailed
from zhida.imports.fields import Date, DecimalField, Enum, Int, Money, Phone, PyField, Text, Uscc, Year
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW
from zhida.projects import fields as declared
from zhida.projects.ledger import CATEGORIES, LEVELS, STATUSES, fen_to_wan
from zhida.projects.models import Project, ProjectFieldValue, ProjectReport, ProjectReportRevision, TaskForce
from zhida.projects.reports import due_date, parse_month, reported_on_error
from zhida.registry.queries import registered, unit_names


@dataclass
class Wan(Money):
    """万元 with at most 6 decimals (exact to the fen), stored as integer fen."""

    scale: int = 6
    what: str = "金额（万元）"


def _month(text: str) -> dt.date:
    try:
        return parse_month(text)
    except ValidationFailed as err:
        raise ValueError(err.message) from None


def _known(session, model_col, values: list) -> set:
    found: set = set()
    for i in range(0, len(values), 500):
        found |= set(session.scalars(select(model_col).where(model_col.in_(values[i:i + 500]))))
    return found


def _rows(session, stmt_of, values: list) -> list:
    """The rows of ``stmt_of(chunk)`` for ``values`` in chunks of 500 (the IN list stays short)."""
    return [row for i in range(0, len(values), 500) for row in session.execute(stmt_of(values[i:i + 500]))]


# ---------------------------------------------------------------- projects

@dataclass
class Stored:
    """What the ledger already holds for the projects of a file, by code."""

    ptype: dict[str, str]
    reported_fen: dict[str, int]  # the highest 累计完成投资 reported
    fields: dict[str, set[str]]  # codes of the custom fields filled


def stored_projects(session, codes: list[str]) -> Stored:
    ptype = dict(_rows(session, lambda c: select(Project.code, Project.ptype).where(Project.code.in_(c)), codes))
    done = dict(_rows(session, lambda c: select(ProjectReport.project_code, func.max(ProjectReport.total_done_fen))
                      .where(ProjectReport.project_code.in_(c)).group_by(ProjectReport.project_code), codes))
    fields: dict[str, set[str]] = {}
    for code, f in _rows(session, lambda c: select(ProjectFieldValue.project_code, ProjectFieldValue.field)
                         .where(ProjectFieldValue.project_code.in_(c)), codes):
        fields.setdefault(code, set()).add(f)
    return Stored(ptype, done, fields)


def check_update(r: dict, ctx: CheckContext, stored: Stored) -> list[RowError]:
    """A row of an existing project: 总投资 not below the investment reported, no type change
    that drops filled fields (an absent 项目类型 column keeps the stored type)."""
    errors, code = [], r["code"]
    done = stored.reported_fen.get(code)
    if r["total_fen"] is not None and done is not None and r["total_fen"] < done:
        errors.append(ctx.error(r[ROW], "total_fen", fen_to_wan(r["total_fen"]),
                                f"总投资不能低于该项目已报送的累计完成投资 {fen_to_wan(done)} 万元：请核实总投资，"
                                "或先更正月报中的累计完成投资"))
    old, new = stored.ptype[code], r["ptype"]
    if "ptype" in ctx.present and new in declared.types() and new != old:
        keep = {f.code for f in declared.types()[new]}
        lost = [f.header for f in declared.all_fields() if f.ptype == old and f.code in stored.fields.get(code, set())
                and f.code not in keep]
        if lost:
            errors.append(ctx.error(r[ROW], "ptype", new, f"该项目已填写「{old}」类字段 {'、'.join(lost)}，改为「{new}」类后"
                                    f"这些字段将失效：请保留项目类型「{old}」"))
    return errors


def check_projects(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = []
    stored = stored_projects(ctx.session, frame["code"].drop_nulls().unique().to_list())
    units = registered(ctx.session, frame["uscc"].drop_nulls().unique().to_list())
    forces = _known(ctx.session, TaskForce.name, frame["task_force"].drop_nulls().unique().to_list())
    for r in frame.iter_rows(named=True):
        if r["uscc"] and r["uscc"] not in units:
            errors.append(ctx.error(r[ROW], "uscc", r["uscc"], "该企业未在单位库登记：请先导入单位基本信息"))
        if r["task_force"] and r["task_force"] not in forces:
            errors.append(ctx.error(r[ROW], "task_force", r["task_force"], "该专班未设立：请先用 zhida projects taskforce 设立"))
        if r["year_plan_fen"] is not None and r["total_fen"] is not None and r["year_plan_fen"] > r["total_fen"]:
            errors.append(ctx.error(r[ROW], "year_plan_fen", fen_to_wan(r['year_plan_fen']), "年度计划投资不能大于总投资"))
        for a, b, what in (("planned_start", "planned_end", "计划"), ("actual_start", "actual_end", "实际")):
            if r[a] and r[b] and r[b] < r[a]:
                errors.append(ctx.error(r[ROW], b, r[b], f"{what}竣工日期早于{what}开工日期 {r[a]}"))
        if r["code"] in stored.ptype:
            errors += check_update(r, ctx, stored)
    return errors


def name_enterprises(frame: pl.DataFrame, session) -> pl.DataFrame:
    """The registry names the enterprise of a project with a USCC."""
    codes = frame["uscc"].drop_nulls().unique().to_list()
    names = unit_names(session, codes)
    return frame.with_columns(pl.Series("enterprise", [names.get(u, e) for u, e in
                                                       frame.select("uscc", "enterprise").iter_rows()], dtype=pl.Utf8))


PROJECTS = register_kind(ImportKind(
    name="projects",
    title="重点项目台账",
    columns=[
        Column("项目编号", "code", Text(40), required=True),
        Column("项目名称", "name", Text(200), required=True),
        Column("统一社会信用代码", "uscc", Uscc(), note="建设单位须已在单位库登记；填写后单位名称以单位库为准"),
        Column("建设单位", "enterprise", Text(200)),
        Column("所属行业", "industry", Text(60)),
        Column("乡镇园区", "township", Text(50)),
        Column("项目类别", "category", Enum(choices=CATEGORIES), required=True),
        Column("项目级别", "level", Enum(choices=LEVELS), required=True),
        Column("项目类型", "ptype", Enum(choices=tuple(declared.types())), default="一般",
               note="能源类项目可填装机容量等自定义字段（project-fields）；已填写的自定义字段不能因改类型而失效"),
        Column("项目状态", "status", Enum(choices=STATUSES), default="在建"),
        Column("计划年度", "plan_year", Year(), required=True),
        Column("总投资(万元)", "total_fen", Wan(), required=True, note="不能低于该项目已报送的累计完成投资"),
        Column("年度计划投资(万元)", "year_plan_fen", Wan(), required=True),
        Column("计划开工", "planned_start", Date()),
        Column("计划竣工", "planned_end", Date()),
        Column("实际开工", "actual_start", Date()),
        Column("实际竣工", "actual_end", Date()),
        Column("专班", "task_force", Text(60)),
        Column("帮包领导", "leader_name", Text(50)),
        Column("帮包领导账号", "leader_user", Text(60)),
        Column("帮包领导手机", "leader_phone", Phone(), note="逾期事项升级提醒发送到此号码"),
        Column("责任部门", "dept_name", Text(60)),
        Column("责任部门账号", "dept_user", Text(60)),
        Column("乡镇园区账号", "township_user", Text(60)),
        Column("企业联系人", "contact_name", Text(50)),
        Column("企业联系电话", "contact_phone", Phone()),
        Column("企业联系人账号", "contact_user", Text(60)),
    ],
    key=["code"],
    model=Project,
    check=check_projects,
    transform=name_enterprises,
    description="一行一个项目；项目编号相同的行更新已有项目。",
))


# ---------------------------------------------------------------- project-reports

def _projects_of(session, codes: list[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for i in range(0, len(codes), 500):
        stmt = select(Project.code, Project.id, Project.total_fen).where(Project.code.in_(codes[i:i + 500]))
        out.update({c: (pid, total) for c, pid, total in session.execute(stmt)})
    return out


def check_reports(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = []
    known = _projects_of(ctx.session, frame["project_code"].drop_nulls().unique().to_list())
    today = dt.date.today()
    this_month = today.replace(day=1)
    for r in frame.iter_rows(named=True):
        code = r["project_code"]
        if code not in known:
            errors.append(ctx.error(r[ROW], "project_code", code, "该项目不在台账中：请先导入重点项目台账（projects）"))
            continue
        if r["month"] and r["month"] > this_month:
            errors.append(ctx.error(r[ROW], "month", f"{r['month']:%Y-%m}", "不能报送未来月份的月报"))
        done, year = r["total_done_fen"], r["year_done_fen"]
        if done is not None and done > known[code][1]:
            errors.append(ctx.error(r[ROW], "total_done_fen", fen_to_wan(done),
                                    f"累计完成投资不能大于总投资 {fen_to_wan(known[code][1])} 万元"))
        if done is not None and year is not None and year > done:
            errors.append(ctx.error(r[ROW], "year_done_fen", fen_to_wan(year), "本年完成投资不能大于累计完成投资"))
        why = reported_on_error(r["month"], r["reported_on"], today) if r["month"] and r["reported_on"] else None
        if why:
            errors.append(ctx.error(r[ROW], "reported_on", r["reported_on"], why))
    return errors


REPORT_FIELDS = ("year_done_fen", "total_done_fen", "progress_pct", "progress_text")


def keep_history(frame: pl.DataFrame, session) -> pl.DataFrame:
    """Project ids, report dates, lateness; a changed month keeps its stored version as a revision
    and its first 报送日期 (lateness is judged from the first submission)."""
    known = _projects_of(session, frame["project_code"].unique().to_list())
    keys = list(frame.select("project_code", "month").iter_rows())
    stored = {}
    for i in range(0, len(keys), 500):
        stmt = select(ProjectReport).where(tuple_(ProjectReport.project_code, ProjectReport.month).in_(keys[i:i + 500]))
        stored.update({(r.project_code, r.month): r for r in session.scalars(stmt)})
    today = dt.date.today()
    ids, on, by, late, rev = [], [], [], [], []
    for row in frame.iter_rows(named=True):
        old = stored.get((row["project_code"], row["month"]))
        ids.append(known[row["project_code"]][0])
        on.append(old.reported_on if old else (row["reported_on"] or today))
        by.append(row["reported_by"] or (old.reported_by if old else "导入"))
        late.append(on[-1] > due_date(row["month"]))
        changed = old is not None and any(getattr(old, f) != row[f] for f in REPORT_FIELDS)
        if changed and old is not None:
            snap = {f: getattr(old, f) for f in (*REPORT_FIELDS, "reported_on", "reported_by", "revision")}
            session.add(ProjectReportRevision(report_id=old.id, revision=old.revision, replaced_by="导入",
                                              snapshot=json.dumps(snap, ensure_ascii=False, default=str)))
        rev.append((old.revision + changed) if old else 1)
    return frame.with_columns(pl.Series("project_id", ids, dtype=pl.Int64), pl.Series("reported_on", on, dtype=pl.Date),
                              pl.Series("reported_by", by, dtype=pl.Utf8), pl.Series("late", late, dtype=pl.Boolean),
                              pl.Series("revision", rev, dtype=pl.Int64))


PROJECT_REPORTS = register_kind(ImportKind(
    name="project-reports",
    title="重点项目月报",
    columns=[
        Column("项目编号", "project_code", Text(40), required=True, note="须已在重点项目台账中"),
        Column("月份", "month", PyField(func=_month, dtype=pl.Date(), expected="应为 YYYY-MM"), required=True,
               note="如 2026-10；已报送的月份视为更正，原内容保留为历史版本"),
        Column("本年完成投资(万元)", "year_done_fen", Wan(), required=True),
        Column("累计完成投资(万元)", "total_done_fen", Wan(), required=True, note="开工以来累计，不能大于总投资"),
        Column("形象进度(%)", "progress_pct", Int(min=0, max=100), required=True),
        Column("形象进度说明", "progress_text", Text(2000), required=True),
        Column("报送日期", "reported_on", Date(),
               note="所报月份首日至今天之间；为空时取导入当天；晚于次月5日为逾期报送；更正时保留首次报送日期"),
        Column("报送人", "reported_by", Text(60)),
    ],
    key=["project_code", "month"],
    model=ProjectReport,
    check=check_reports,
    transform=keep_history,
    derived={"project_id": Int(min=1), "late": PyField(dtype=pl.Boolean()), "revision": Int(min=1)},
    description="一行一个项目一个月份。",
))


# ---------------------------------------------------------------- project-fields

def check_fields(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = []
    codes = frame["project_code"].drop_nulls().unique().to_list()
    types = dict(ctx.session.execute(select(Project.code, Project.ptype).where(Project.code.in_(codes))).all()) if codes else {}
    for r in frame.iter_rows(named=True):
        if r["project_code"] not in types:
            errors.append(ctx.error(r[ROW], "project_code", r["project_code"], "该项目不在台账中"))
            continue
        try:
            f = declared.field_of(types[r["project_code"]], r["field"])
            declared.check_value(f, ctx.columns["value"].ftype.to_db(r["value"]))
        except ValidationFailed as err:
            errors.append(ctx.error(r[ROW], "field", r["field"], err.message))
    return errors


def field_codes(frame: pl.DataFrame, session) -> pl.DataFrame:
    codes = frame["project_code"].unique().to_list()
    types = dict(session.execute(select(Project.code, Project.ptype).where(Project.code.in_(codes))).all())
    return frame.with_columns(pl.Series("field", [declared.field_of(types[c], f).code for c, f in
                                                  frame.select("project_code", "field").iter_rows()], dtype=pl.Utf8))


PROJECT_FIELDS = register_kind(ImportKind(
    name="project-fields",
    title="重点项目自定义字段",
    columns=[
        Column("项目编号", "project_code", Text(40), required=True),
        Column("字段", "field", Text(40), required=True,
               note="按项目类型声明（fields.yaml），如 风电装机容量(MW)、光伏装机容量(MW)、年发电量(kWh)"),
        Column("数值", "value", DecimalField(scale=6, what="数值"), required=True),
    ],
    key=["project_code", "field"],
    model=ProjectFieldValue,
    check=check_fields,
    transform=field_codes,
    description="一行一个项目的一个字段；字段不属于该项目类型的（如非能源项目填装机容量）拒绝导入。",
))
