"""Import kind ``approval-matters`` (审批事项目录): the catalogue from Excel or CSV.

A file is checked with the same rules as the 事项 page (``zhida.approvals.matters.check_matter``):
承诺时限 ≤ 法定时限, the §42 cap unless 设定依据 names another law, known departments, at least
one main material. Lists are separated by ；, ; or 、.
"""

from __future__ import annotations

import polars as pl

from zhida.approvals.matters import MatterForm, check_matter
from zhida.approvals.models import Matter
from zhida.errors import RowError, ValidationFailed
from zhida.imports.fields import Int, Money, Text, YesNo
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW

COLUMNS = [
    Column("事项编码", "code", Text(30), required=True),
    Column("事项名称", "name", Text(100), required=True),
    Column("法定时限（工作日）", "legal_days", Int(min=0, max=365), required=True),
    Column("承诺时限（工作日）", "promised_days", Int(min=0, max=365), required=True, note="不得超过法定时限"),
    Column("办理科室", "departments", Text(200), required=True, note="科室编码，牵头科室在前，用；分隔"),
    Column("办理环节", "stages", Text(300), required=True),
    Column("主要材料", "main_materials", Text(4000), required=True),
    Column("次要材料", "secondary_materials", Text(4000), note="可容缺受理的材料"),
    Column("即办件", "instant", YesNo(), default=False),
    Column("联合办理", "joint", YesNo(), default=False),
    Column("现场勘验", "site_inspection", YesNo(), default=False),
    Column("专家评审", "expert_review", YesNo(), default=False),
    Column("告知承诺制", "notify_promise", YesNo(), default=False),
    Column("可容缺受理", "tolerance", YesNo(), default=True),
    Column("收费（元）", "fee_fen", Money(), default=0),
    Column("设定依据", "basis", Text(300)),
    Column("时限为本地参数", "local_parameter", YesNo(), default=True),
]


def check_matters(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """Each row through ``check_matter``; the refusal names the row and the rule."""
    errors = []
    for r in frame.iter_rows(named=True):
        values = {c.attr: (c.default if r.get(c.attr) is None else r[c.attr]) for c in COLUMNS}
        try:
            check_matter(ctx.session, MatterForm(**values))
        except ValidationFailed as err:
            column = "promised_days" if "承诺时限" in err.message else "departments" if "科室" in err.message else None
            errors.append(ctx.error(r[ROW], column, r.get(column) if column else None, err.message))
    return errors


def with_active(frame: pl.DataFrame, session) -> pl.DataFrame:
    return frame.with_columns(pl.lit(True).alias("active"))


MATTERS = register_kind(ImportKind(
    name="approval-matters", title="审批事项目录", columns=COLUMNS, key=["code"], model=Matter,
    check=check_matters, transform=with_active, derived={"active": YesNo()},
    description="行政审批事项：法定与承诺时限（工作日）、材料、环节、科室；承诺时限不得超过法定时限。"))
