"""Import kinds of the loans programme: LPR table, credit checks, bank repayment files.

Each is an ``ImportKind`` of the shared machinery (all rows or none, errors naming file,
row, column, value and fix; ``zhida import <kind>``, template and web page for free).
Repayment files carry their batch totals on every line (批次号, 批次笔数, 批次合计); a file
whose lines do not add up to its totals is refused whole.
"""

from __future__ import annotations

import re

import polars as pl
from sqlalchemy import func, select

from zhida.errors import RowError, ValidationFailed
from zhida.imports import cells
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


def Reference(max_len: int = 40) -> PyField:
    """A bank's reference (流水号、批次号、受理编号): text, and a number cell of more than 15
    digits is refused — Excel kept only 15 of them, so two references could become one."""

    expected = f"应为字母、数字或连字符（-），最多 {max_len} 个字符"

    def check(text: str) -> str:
        if len(text) > max_len or not re.fullmatch(r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*", text):
            raise ValueError(expected)
        return text

    return PyField(func=check, expected=expected, clean=cells.code, is_code=True)


def LoanNumber() -> PyField:
    """贷款编号 as zhida gives it (``DK2026-000001``); full-width or lower-case letters are read
    as what the clerk meant."""

    def check(text: str) -> str:
        number = text.upper()
        if not re.fullmatch(r"DK[0-9]{4}-[0-9]{6}", number):
            raise ValueError("应为贷款编号，如 DK2026-000001")
        return number

    return PyField(func=check, expected="应为贷款编号，如 DK2026-000001", clean=cells.code)


_LOANS = select(Loan.number, Loan.state, Loan.settled_on, Loan.start, Loan.principal_fen)
_STORED = select(Repayment.bank_ref, Repayment.loan_number, Repayment.paid_on, Repayment.principal_fen,
                 Repayment.interest_fen)


def check_repayments(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """Unknown loans, loans closed (结清、核销), dates before disbursement, recorded repayments
    changed, principal repaid beyond the loan's, and batches that do not add up. A line already
    recorded with the same values passes (the same file imported again changes nothing)."""
    numbers = frame["loan_number"].unique().to_list()
    loans = {r.number: r for r in ctx.session.execute(_LOANS.where(Loan.number.in_(numbers)))}
    refs = frame["bank_ref"].unique().to_list()
    stored = {r.bank_ref: r for r in ctx.session.execute(_STORED.where(Repayment.bank_ref.in_(refs)))}
    errors: list[RowError] = _case_twins(frame, ctx)
    for r in frame.iter_rows(named=True):
        errors += _line_errors(r, loans.get(r["loan_number"]), stored.get(r["bank_ref"]), ctx)
    return errors + _principal_errors(frame, loans, stored, ctx) + _batch_errors(frame, ctx)


def _case_twins(frame: pl.DataFrame, ctx: CheckContext) -> list[RowError]:
    """A 流水号 that differs from another (in the file or recorded) only by upper/lower case is
    the same bank reference written twice: refused, so one payment is not counted twice."""
    upper = {r.upper() for r in frame["bank_ref"].drop_nulls().to_list()}
    known = ctx.session.scalars(select(Repayment.bank_ref).where(func.upper(Repayment.bank_ref).in_(upper)))
    seen: dict[str, str] = {ref.upper(): ref for ref in known}
    errors = []
    for r in frame.filter(pl.col("bank_ref").is_not_null()).iter_rows(named=True):
        twin = seen.setdefault(r["bank_ref"].upper(), r["bank_ref"])
        if twin != r["bank_ref"]:
            errors.append(ctx.error(r[ROW], "bank_ref", r["bank_ref"],
                                    f"与流水号「{twin}」只差大小写，应为同一笔：请核对，不要重复登记"))
    return errors


def _shown(paid_on, principal: int, interest: int) -> str:
    return f"{paid_on} 本金 {principal / 100:,.2f} 元、利息 {interest / 100:,.2f} 元"


def _line_errors(r: dict, loan, old, ctx: CheckContext) -> list[RowError]:
    row, principal, interest = r[ROW], r["principal_fen"] or 0, r["interest_fen"] or 0
    if old is not None:
        if (old.loan_number, old.paid_on, old.principal_fen, old.interest_fen) == (
                r["loan_number"], r["paid_on"], principal, interest):
            return []
        return [ctx.error(row, "bank_ref", r["bank_ref"],
                          f"该流水号已登记为贷款 {old.loan_number} {_shown(old.paid_on, old.principal_fen, old.interest_fen)}"
                          "，已入账的还款不能更改：请核对流水号；银行冲正请联系经办人员")]
    if loan is None:
        return [ctx.error(row, "loan_number", r["loan_number"], "没有这笔贷款：请核对贷款编号")]
    errors = []
    if loan.state in ("结清", "核销"):
        errors.append(ctx.error(row, "loan_number", r["loan_number"],
                                f"该贷款已于 {loan.settled_on or '此前'} {loan.state}，不能再登记还款"))
    if r["paid_on"] < loan.start:
        errors.append(ctx.error(row, "paid_on", r["paid_on"], f"还款日期早于该贷款的放款日 {loan.start}"))
    if principal + interest <= 0:
        errors.append(ctx.error(row, "principal_fen", "0", "归还本金与利息之和应大于 0"))
    return errors


def _principal_errors(frame: pl.DataFrame, loans: dict, stored: dict, ctx: CheckContext) -> list[RowError]:
    """Per loan: principal already repaid (other lines) plus this file's must not pass the loan's."""
    new = frame.filter(~pl.col("bank_ref").is_in(list(stored)) & pl.col("loan_number").is_in(list(loans)))
    if new.is_empty():
        return []
    sums = new.group_by("loan_number").agg(pl.col("principal_fen").fill_null(0).sum().alias("fen"),
                                           pl.col(ROW).max().alias("row"))
    paid = dict(ctx.session.execute(
        select(Repayment.loan_number, func.sum(Repayment.principal_fen))
        .where(Repayment.loan_number.in_(sums["loan_number"].to_list())).group_by(Repayment.loan_number)).all())
    errors = []
    for r in sums.iter_rows(named=True):
        loan, before = loans[r["loan_number"]], int(paid.get(r["loan_number"]) or 0)
        if before + r["fen"] > loan.principal_fen:
            errors.append(ctx.error(r["row"], "principal_fen", f"{r['fen'] / 100:,.2f}",
                                    f"贷款 {loan.number} 本金 {loan.principal_fen / 100:,.2f} 元，已还 {before / 100:,.2f} 元，"
                                    f"本文件再还 {r['fen'] / 100:,.2f} 元将超出本金：请核对归还本金"))
    return errors


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
    columns=[Column("业务流水号", "bank_ref", Reference(), required=True, note="银行的唯一流水号；重复导入同一流水不会重复入账"),
             Column("贷款编号", "loan_number", LoanNumber(), required=True, note="如 DK2026-000001"),
             Column("还款日期", "paid_on", Date(), required=True),
             Column("归还本金(元)", "principal_fen", Money(), default=0),
             Column("归还利息(元)", "interest_fen", Money(), default=0, note="借款人承担的利息"),
             Column("批次号", "batch_no", Reference(), required=True),
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
    columns=[Column("银行受理编号", "bank_ref", Reference(), required=True, note="银行内部编号，唯一"),
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
