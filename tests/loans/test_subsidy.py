"""Quarterly subsidy claims: built once per bank and quarter, approved, exported, paid, reconciled."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from tests.loans.conftest import BANK_CODE, BANKER, CLERK, FINANCE_ACTOR, OTHER_BANK, OTHER_BANKER, D, make_loan, person
from zhida.db import session_scope
from zhida.errors import Conflict, ImportRefused, PermissionDenied, StateError
from zhida.loans import subsidy
from zhida.loans.models import LoanPeriod
from zhida.loans.subsidy import CLAIM, ClaimState
from zhida.platform.workflow import history


def test_a_quarters_claim_from_draft_to_paid(loans_db, tmp_path):
    make_loan(loans_db, start=D(2025, 7, 20))
    make_loan(loans_db, start=D(2025, 8, 5), who=person(birth="19880808", serial="003"), amount="100000")
    with session_scope(loans_db) as s:
        claim = subsidy.build_claim(s, BANKER, BANK_CODE, "2025Q4")
        expected = s.scalar(select(func.sum(LoanPeriod.subsidy_fen)).where(LoanPeriod.end >= D(2025, 10, 1),
                                                                            LoanPeriod.end <= D(2025, 12, 31)))
        assert (claim.lines, claim.total_fen) == (2, expected)
        # 200,000 × (3.85% − 1.5%) × 92 ÷ 360 and 100,000 × 2.35% × 92 ÷ 360, each half up
        assert claim.total_fen == 120_111 + 60_056
        claim_id = claim.id
    with session_scope(loans_db) as s, pytest.raises(Conflict, match="不能重复申请"):
        subsidy.build_claim(s, CLERK, BANK_CODE, "2025Q4")
    with session_scope(loans_db) as s, pytest.raises(PermissionDenied, match="本行"):
        subsidy.build_claim(s, OTHER_BANKER, BANK_CODE, "2025Q4")
    with session_scope(loans_db) as s:
        claim = subsidy.get_claim(s, claim_id)
        with pytest.raises(PermissionDenied, match="财政"):
            CLAIM.fire(s, claim, ClaimState.APPROVED, BANKER)
        CLAIM.fire(s, claim, ClaimState.APPROVED, FINANCE_ACTOR)
        early = tmp_path / "早到的回盘.csv"
        early.write_text("业务参考号,状态,失败原因\nTX2025Q4000001,成功,\n", encoding="utf-8")
        with pytest.raises(StateError, match="尚未导出拨付文件（当前状态：已审核）"):
            subsidy.import_return(s, FINANCE_ACTOR, claim_id, early, D(2026, 1, 15))
        path = subsidy.export(s, FINANCE_ACTOR, claim_id, tmp_path)
    assert path.name == "贴息拨付-NSYH-2025Q4-TX2025Q4000001.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["序号", "户名", "账号", "开户行", "金额", "用途", "业务参考号"]
    assert rows[1][4] == "1801.67" and rows[1][6] == "TX2025Q4000001"
    ret = tmp_path / "回盘.csv"
    ret.write_text("业务参考号,状态,失败原因\nTX2025Q4000001,成功,\n", encoding="utf-8")
    with session_scope(loans_db) as s:
        assert not subsidy.reconcile(s).paid_fen
        subsidy.import_return(s, FINANCE_ACTOR, claim_id, ret, D(2026, 1, 15))
        rec = subsidy.reconcile(s)
        assert rec.ok and rec.paid_fen == 180_167 and "对账一致" in rec.summary()
        with pytest.raises(StateError):
            subsidy.import_return(s, FINANCE_ACTOR, claim_id, ret, D(2026, 1, 15))


def test_a_quarter_without_lines_or_not_yet_ended_is_refused(loans_db):
    make_loan(loans_db, start=D(2025, 7, 20))
    with session_scope(loans_db) as s, pytest.raises(StateError, match="没有可申请贴息"):
        subsidy.build_claim(s, CLERK, OTHER_BANK, "2025Q4")
    with session_scope(loans_db) as s, pytest.raises(StateError, match="尚未结束"):
        subsidy.build_claim(s, CLERK, BANK_CODE, "2099Q1")


def test_a_failed_payment_is_corrected_and_paid_again(loans_db, tmp_path):
    make_loan(loans_db, start=D(2025, 7, 20))
    ret = tmp_path / "回盘.csv"
    with session_scope(loans_db) as s:
        claim = subsidy.build_claim(s, CLERK, BANK_CODE, "2025Q4")
        CLAIM.fire(s, claim, ClaimState.APPROVED, FINANCE_ACTOR)
        subsidy.export(s, FINANCE_ACTOR, claim.id, tmp_path)
        ret.write_text(f"业务参考号,状态,失败原因\n{claim.bank_ref},失败,账户冻结\n", encoding="utf-8")
        subsidy.import_return(s, FINANCE_ACTOR, claim.id, ret, D(2026, 1, 15))
        assert claim.fail_reason == "账户冻结" and subsidy.reconcile(s).failed_fen == claim.total_fen
        CLAIM.fire(s, claim, ClaimState.APPROVED, FINANCE_ACTOR, comment="银行已解冻账户")
        assert claim.state == "已审核"
        assert (claim.fail_reason, claim.bank_ref) == (None, None)  # the failure stays in the history only
        first = "TX2025Q4000001"
        again = subsidy.export(s, FINANCE_ACTOR, claim.id, tmp_path)
        assert claim.bank_ref == "TX2025Q4000001-2" and again.name.endswith("-TX2025Q4000001-2.csv")
        assert len(list(tmp_path.glob("贴息拨付-*.csv"))) == 2  # the failed transfer's file is kept
        with pytest.raises(ImportRefused, match="没有（或不止一行）业务参考号 TX2025Q4000001-2"):  # the old return file
            subsidy.import_return(s, FINANCE_ACTOR, claim.id, ret, D(2026, 1, 16))
        ret.write_text(f"贴息拨付回盘,,\n,,\n业务参考号,状态,失败原因\n{first},失败,账户冻结\n"
                       f"{claim.bank_ref},成功,\n", encoding="utf-8")  # a title row above the headers
        subsidy.import_return(s, FINANCE_ACTOR, claim.id, ret, D(2026, 1, 20))
        assert (claim.state, claim.fail_reason, claim.paid_on) == ("已拨付", None, D(2026, 1, 20))
        reasons = [e.comment for e in history(s, CLAIM, claim.id) if e.to_state == "拨付失败"]
        assert reasons == ["账户冻结"]
