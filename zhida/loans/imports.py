"""Import kinds of the loans programme: LPR table, credit checks, bank repayment files.

Each is an ``ImportKind`` of the shared machinery (all rows or none, errors naming file,
row, column, value and fix; ``zhida import <kind>``, template and web page for free).
Repayment files carry their batch totals on every line (批次号, 批次笔数, 批次合计); a file
whose lines do not add up to its totals is refused whole.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import select

from zhida.errors import RowError, ValidationFailed
from zhida.imports.fields import Date, IdNumber, Int, Money, Phone, PyField, Text, YesNo
from zhida.imports.spec import CheckContext, Column, ImportKind, register_kind
from zhida.imports.validate import ROW
from zhida.loans.models import CreditCheck, Intake, Loan, LoanBank, LprRate, Repayment
from zhida.loans.rates import parse_rate


def _rate(text: str) -> int:
    try:
        return parse_rate(text)
    except ValidationFailed as exc:
        raise ValueError(exc.message) from None


def Rate() -> PyField:
    return PyField(func=_rate, dtype=pl.Int64(), expected="应为年利率，如 3.45% 或 0.0345")


def _person_or_unit(text: str) -> str:
    from zhida.identifiers import validate_id_number, validate_uscc

    try:
        return validate_id_number(text)
    except ValueError as person_error:
        try:
            return validate_uscc(text)
        except ValueError:
            raise ValueError(f"应为 18 位公民身份号码或统一社会信用代码：{person_error}") from None


LPR = register_kind(ImportKind(
    name="loan-lpr", title="贷款市场报价利率（LPR）",
    columns=[Column("公布日期", "day", Date(), required=True, note="全国银行间同业拆借中心每月 20 日公布"),
             Column("1年期LPR", "one_year", Rate(), required=True, note="如 3.00%"),
             Column("5年期以上LPR", "five_year", Rate(), required=True, note="如 3.50%")],
    key=["day"], model=LprRate,
    description="贷款的 LPR 按放款日（签约日）之前最近一次公布的 1 年期 LPR 确定。",
))

CREDIT = register_kind(ImportKind(
    name="loan-credit-checks", title="征信查询结果",
    columns=[Column("证件号码", "id_number", PyField(func=_person_or_unit, expected="应为身份证号或统一社会信用代码"),
                    required=True, note="借款人、配偶或企业"),
             Column("查询日期", "checked_on", Date(), required=True),
             Column("非豁免贷款余额(元)", "other_loans_fen", Money(), default=0,
                    note="助学贷款、脱贫人口小额信贷、住房按揭、车贷及消费贷款以外的贷款余额"),
             Column("消费贷款余额(元)", "consumer_fen", Money(), default=0, note="含信用卡透支"),
             Column("不良记录", "bad_record", YesNo(), default=False, note="是 或 否")],
    key=["id_number", "checked_on"], model=CreditCheck,
))


def check_repayments(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """Unknown loans, loans already settled or written off, and batches that do not add up."""
    loans = {n: (s, d) for n, s, d in ctx.session.execute(
        select(Loan.number, Loan.state, Loan.settled_on).where(Loan.number.in_(frame["loan_number"].unique().to_list())))}
    errors = []
    for r in frame.iter_rows(named=True):
        state = loans.get(r["loan_number"])
        if state is None:
            errors.append(ctx.error(r[ROW], "loan_number", r["loan_number"], "没有这笔贷款：请核对贷款编号"))
        elif state[0] in ("结清", "核销") and (state[1] is None or r["paid_on"] > state[1]):
            errors.append(ctx.error(r[ROW], "loan_number", r["loan_number"],
                                    f"该贷款已{state[0]}（{state[1] or ''}），不能再登记还款"))
        if (r["principal_fen"] or 0) + (r["interest_fen"] or 0) <= 0:
            errors.append(ctx.error(r[ROW], "principal_fen", "0", "归还本金与利息之和应大于 0"))
    return errors + _batch_errors(frame, ctx)


def _batch_errors(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    errors = []
    sums = frame.group_by("batch_no").agg(
        pl.len().alias("n"), (pl.col("principal_fen") + pl.col("interest_fen")).sum().alias("total"),
        pl.col("batch_count").unique().alias("counts"), pl.col("batch_total_fen").unique().alias("totals"),
        pl.col(ROW).min().alias("row"))
    for r in sums.iter_rows(named=True):
        if len(r["counts"]) > 1 or len(r["totals"]) > 1:
            errors.append(ctx.error(r["row"], "batch_total_fen", r["batch_no"], "同一批次各行的批次笔数、批次合计应相同"))
        elif r["counts"][0] != r["n"]:
            errors.append(ctx.error(r["row"], "batch_count", r["counts"][0],
                                    f"批次 {r['batch_no']} 实有 {r['n']} 笔，与批次笔数不符：文件可能不完整"))
        elif r["totals"][0] != r["total"]:
            errors.append(ctx.error(r["row"], "batch_total_fen", f"{r['totals'][0] / 100:.2f}",
                                    f"批次 {r['batch_no']} 各行本息合计 {r['total'] / 100:.2f} 元，与批次合计不符"))
    return errors


REPAYMENTS = register_kind(ImportKind(
    name="loan-repayments", title="贷款还款流水（银行）",
    columns=[Column("业务流水号", "bank_ref", Text(40), required=True, note="银行的唯一流水号；重复导入同一流水不会重复入账"),
             Column("贷款编号", "loan_number", Text(20), required=True, note="如 DK2026-000001"),
             Column("还款日期", "paid_on", Date(), required=True),
             Column("归还本金(元)", "principal_fen", Money(), default=0),
             Column("归还利息(元)", "interest_fen", Money(), default=0, note="借款人承担的利息"),
             Column("批次号", "batch_no", Text(40), required=True),
             Column("批次笔数", "batch_count", Int(min=1), required=True, note="本批次的总笔数，每行相同"),
             Column("批次合计(元)", "batch_total_fen", Money(), required=True, note="本批次本息合计，每行相同")],
    key=["bank_ref"], model=Repayment, check=check_repayments,
    description="导入后运行 zhida loans sweep（或在台账页点击“逾期检查”）据此结清、认定逾期。",
))


def check_intake(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """Banks that are not registered; rows already taken in cannot be changed by a new file."""
    banks = set(ctx.session.scalars(select(LoanBank.code)))
    done = set(ctx.session.scalars(select(Intake.bank_ref).where(Intake.status != "待处理")))
    errors = [ctx.error(r[ROW], "bank_code", r["bank_code"], f"经办银行未登记：应为 {'、'.join(sorted(banks)) or '（尚无）'}")
              for r in frame.iter_rows(named=True) if r["bank_code"] not in banks]
    errors += [ctx.error(r[ROW], "bank_ref", r["bank_ref"], "该笔申请已处理过，不能再改：如需更正请线下退回补正")
               for r in frame.iter_rows(named=True) if r["bank_ref"] in done]
    return errors


INTAKE = register_kind(ImportKind(
    name="loan-bank-applications", title="银行受理的贷款申请",
    columns=[Column("银行受理编号", "bank_ref", Text(40), required=True, note="银行内部编号，唯一"),
             Column("经办银行代码", "bank_code", Text(20), required=True, note="如 NSYH"),
             Column("姓名", "name", Text(50), required=True), Column("身份证号", "id_number", IdNumber(), required=True),
             Column("手机号", "phone", Phone(), required=True), Column("户籍所在地", "hukou", Text(100)),
             Column("创业所在乡镇", "township", Text(50)),
             Column("人员类别", "target_group", Text(40), required=True, note="如 退役军人、高校毕业生"),
             Column("证明材料编号", "evidence_ref", Text(100)),
             Column("申请金额(元)", "amount_fen", Money(), required=True), Column("期限(月)", "months", Int(min=1, max=120),
                                                                          required=True),
             Column("合同利率", "rate", Rate(), required=True, note="如 3.85%"),
             Column("创业项目", "project", Text(200), required=True), Column("带动就业(人)", "jobs_created", Int(min=0)),
             Column("受理日期", "submitted_on", Date(), required=True)],
    key=["bank_ref"], model=Intake, check=check_intake,
    description="导入后运行 zhida loans intake（或在申请页点击“处理银行导入”），逐笔按资格条件受理或说明不予受理的原因。",
))
