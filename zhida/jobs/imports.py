"""Import kinds of the employment service: ``jobs`` (招聘岗位) and ``seekers`` (求职登记).

The same kinds validate one record typed into the web console (``service.post_job``,
``service.register_seeker``), so a form and a file are refused for the same reasons.
Templates: ``docs/import-templates-jobs.md``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select

from zhida.errors import RowError
from zhida.imports.fields import Date, Enum, IdNumber, Int, Phone, PyField, Text, Uscc
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW
from zhida.jobs.models import Job, Seeker
from zhida.jobs.taxonomy import load_taxonomy
from zhida.jobs.vocab import EDUCATION, parse_categories, parse_township, parse_townships, split_list
from zhida.registry.imports import USCC_ALIASES, check_units_exist
from zhida.registry.models import Unit


def known_code(value: str) -> str:
    """A CSCO-2022 code that exists (normalised), else a Chinese ``ValueError``."""
    return load_taxonomy().require(value).code


def known_codes(value: str) -> str:
    return "、".join(known_code(v) for v in split_list(value))


def today() -> dt.date:
    return dt.date.today()


def with_ids(frame: pl.DataFrame, session, model, key: list[str]) -> pl.DataFrame:
    """Add the surrogate ``id``: the stored one for known keys, a fresh one for new rows.

    The tables key rows by a surrogate id (fairs and notices refer to it) while files key
    them by natural columns; carrying the id lets the import writer update by primary key
    on every backend.
    """
    cols = [getattr(model, k) for k in key]
    stored = {tuple(r[:-1]): r[-1] for r in session.execute(select(*cols, model.id)).all()}
    ids = [stored.get(k) for k in frame.select(key).iter_rows()]
    missing = [i for i, v in enumerate(ids) if v is None]
    for i, new_id in zip(missing, _new_ids(session, model, len(missing)), strict=False):
        ids[i] = new_id
    return frame.with_columns(pl.Series("id", ids, dtype=pl.Int64))


def _new_ids(session, model, n: int) -> list[int]:
    if n == 0:
        return []
    table = model.__tablename__
    if session.bind.dialect.name == "postgresql":
        sql = f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {int(n)})"
        return [r[0] for r in session.connection().exec_driver_sql(sql)]
    top = session.connection().exec_driver_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').scalar()
    return list(range(top + 1, top + 1 + n))


# ---------------------------------------------------------------- jobs

def check_jobs(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = check_units_exist(frame, ctx)
    inverted = frame.filter((pl.col("salary_min") > pl.col("salary_max")).fill_null(False))
    errors += [ctx.error(r[ROW], "salary_min", r["salary_min"], f"月薪下限不能高于月薪上限 {r['salary_max']} 元")
               for r in inverted.iter_rows(named=True)]
    day = today()
    expired = frame.filter((pl.col("valid_until") < day).fill_null(False))
    errors += [ctx.error(r[ROW], "valid_until", r["valid_until"], f"岗位已过期：有效期至应不早于今天 {day}")
               for r in expired.iter_rows(named=True)]
    return errors


def code_jobs(frame: pl.DataFrame, session) -> pl.DataFrame:
    """Fill the occupation of jobs that lack one (coder), and the township from the unit."""
    from zhida.jobs.coder import default_coder

    coder = default_coder()
    given = frame["occupation_code"].to_list()
    titles = frame["title"].to_list()
    lacking = [i for i, c in enumerate(given) if not c]
    from zhida.jobs.coder import low_confidence

    found = dict(zip(lacking, coder.code_many([titles[i] for i in lacking], top=2), strict=False))
    codes = [c or (found[i][0].code if found[i] else None) for i, c in enumerate(given)]
    # a coded title whose best code barely beats the second is marked for a person to review
    sources = ["given" if g else (("review" if low_confidence(found[i]) else "coded") if c else None)
               for i, (g, c) in enumerate(zip(given, codes, strict=False))]
    towns = frame["township"].to_list()
    if any(t is None for t in towns):
        usccs = list({u for u, t in zip(frame["uscc"].to_list(), towns, strict=False) if t is None})
        unit_town = dict(session.execute(select(Unit.uscc, Unit.township).where(Unit.uscc.in_(usccs))).all())
        towns = [t or unit_town.get(u) for u, t in zip(frame["uscc"].to_list(), towns, strict=False)]
    frame = frame.with_columns(
        pl.Series("occupation_code", codes, dtype=pl.Utf8),
        pl.Series("occupation_source", sources, dtype=pl.Utf8),
        pl.Series("township", towns, dtype=pl.Utf8),
    )
    return with_ids(frame, session, Job, ["uscc", "job_no"])


CODE_NOTE = "职业分类大典（2022）代码，如 6-31-01-03；为空时按职位名称自动编码"

JOBS = register_kind(ImportKind(
    name="jobs",
    title="招聘岗位",
    columns=[
        Column("统一社会信用代码", "uscc", Uscc(), required=True, note="招聘单位，须已在单位基本信息中登记",
               aliases=USCC_ALIASES),
        Column("岗位编号", "job_no", Text(40), required=True, note="单位内唯一，再次导入同一编号即更新"),
        Column("职位名称", "title", Text(100), required=True),
        Column("职业代码", "occupation_code", PyField(func=known_code, expected="职业分类大典代码"), note=CODE_NOTE),
        Column("乡镇街道", "township", PyField(func=parse_township, expected="乡镇街道名称"),
               note="工作地点；为空时取单位所在乡镇街道"),
        Column("月薪下限(元)", "salary_min", Int(min=0), required=True),
        Column("月薪上限(元)", "salary_max", Int(min=0), required=True),
        Column("学历要求", "education", Enum(choices=EDUCATION), default="不限"),
        Column("经验要求(年)", "experience_years", Int(min=0, max=50), default=0),
        Column("招聘人数", "headcount", Int(min=1, max=10_000), default=1),
        Column("岗位描述", "description", Text(2000)),
        Column("有效期至", "valid_until", Date(), required=True, note="不能早于导入当天"),
    ],
    key=["uscc", "job_no"],
    model=Job,
    check=check_jobs,
    transform=code_jobs,
    derived={"occupation_source": Text(), "id": Int()},
))


# ---------------------------------------------------------------- seekers

def check_seekers(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    empty = frame.filter(pl.col("desired").is_null() & pl.col("desired_codes").is_null())
    return [ctx.error(r[ROW], "desired", None, "求职意向和意向职业代码至少填一项")
            for r in empty.iter_rows(named=True)]


def code_seekers(frame: pl.DataFrame, session) -> pl.DataFrame:
    """Code each desired occupation written in words when no codes are given."""
    from zhida.jobs.coder import default_coder

    coder = default_coder()
    codes = []
    for given, desired in zip(frame["desired_codes"].to_list(), frame["desired"].to_list(), strict=False):
        if given:
            codes.append(given)
            continue
        found = [coder.best(w) for w in split_list(desired)]
        codes.append("、".join(dict.fromkeys(c for c in found if c)) or None)
    frame = frame.with_columns(pl.Series("desired_codes", codes, dtype=pl.Utf8))
    return with_ids(frame, session, Seeker, ["id_number"])


SEEKERS = register_kind(ImportKind(
    name="seekers",
    title="求职登记",
    columns=[
        Column("身份证号", "id_number", IdNumber(), required=True, note="校验位核验；每人只登记一次",
               aliases=("身份证号码", "公民身份号码", "证件号码", "身份证")),
        Column("姓名", "name", Text(50), required=True),
        Column("手机号", "phone", Phone(), note="用于岗位推荐短信；列表中脱敏显示",
               aliases=("手机号码", "联系电话", "电话")),
        Column("求职意向", "desired", Text(300), note="想做的工作，多个用、分隔，如 电工、焊工"),
        Column("意向职业代码", "desired_codes", PyField(func=known_codes, expected="职业分类大典代码"),
               note="多个用、分隔；为空时按求职意向自动编码"),
        Column("可接受乡镇", "townships", PyField(func=parse_townships, expected="乡镇街道名称"), default="",
               note="多个用、分隔；填“不限”或留空表示全区"),
        Column("居住乡镇", "home_township", PyField(func=parse_township, expected="乡镇街道名称")),
        Column("期望月薪(元)", "salary_expected", Int(min=0), default=0, note="可接受的最低月薪"),
        Column("学历", "education", Enum(choices=EDUCATION), default="不限"),
        Column("工作年限", "experience_years", Int(min=0, max=60), default=0),
        Column("技能特长", "skills", Text(1000)),
        Column("可到岗日期", "available_from", Date()),
        Column("人员类别", "categories", PyField(func=parse_categories, expected="人员类别"),
               note="如 高校毕业生、就业困难人员、退役军人、脱贫人口"),
    ],
    key=["id_number"],
    model=Seeker,
    check=check_seekers,
    transform=code_seekers,
    derived={"id": Int()},
))
