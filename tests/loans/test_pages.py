"""Console pages, the portal and the API of the loans programme (TestClient, both databases)."""

from __future__ import annotations

import io
import json
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.loans.conftest import credit, id_of
from tests.web.conftest import STAFF, csrf_of, login
from zhida.db import session_scope
from zhida.loans.models import Applicant, Application
from zhida.platform.models import AuditEntry, OutboxMessage
from zhida.roles import Role
from zhida.sheets import formula_cells

FORM = {"name": "王小明", "id_number": id_of("19900501"), "phone": "13800138000", "group": "退役军人",
        "bank": "NSYH", "amount": "200000", "months": "36", "rate": "3.85%", "project": "小岗烧饼店", "jobs": "3"}


def client(app, user=None) -> tuple[TestClient, str | None]:
    c = TestClient(app)
    return c, (login(c, user) if user else None)


def staff_login(c: TestClient, user: str) -> str:
    from tests.web.conftest import PASSWORD

    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": user, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    return csrf_of(c.get("/loans/applications").text)


def advance(c, token, number, to, comment=""):
    r = c.post(f"/loans/applications/{number}/advance", data={"to": to, "comment": comment, "csrf_token": token},
               follow_redirects=False)
    assert r.status_code == 303, r.text[:400]


def test_counter_application_walks_to_disbursement_with_each_role(app, loans_world):
    clerk, token = client(app, STAFF[Role.OPERATOR])
    r = clerk.post("/loans/applications", data={**FORM, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    number = r.headers["location"].rsplit("/", 1)[1]
    credit(loans_world.engine, id_of("19900501"))
    advance(clerk, token, number, "待担保审核")
    guarantor = TestClient(app)
    advance(guarantor, staff_login(guarantor, "danbao"), number, "待银行审批")
    other = TestClient(app)
    staff_login(other, "ycyh")
    assert other.get(f"/loans/applications/{number}").status_code == 403
    assert other.get("/api/v1/loans/applications").json()["total"] == 0
    bank = TestClient(app)
    btoken = staff_login(bank, "nsyh")
    advance(bank, btoken, number, "待放款")
    advance(bank, btoken, number, "已放款")
    page = bank.get(f"/loans/applications/{number}").text
    assert "已放款" in page and "DK" in page
    loan = re.search(r"/loans/book/(DK\d{4}-\d{6})", page).group(1)
    loan_page = bank.get(f"/loans/book/{loan}").text
    assert "还款计划" in loan_page and "实际天数/360" in loan_page and "act/360" not in loan_page
    data = bank.get(f"/api/v1/loans/loans/{loan}").json()
    assert data["principal"] == "200000.00" and len(data["periods"]) == 12


def test_a_refused_counter_application_shows_the_rule_and_keeps_the_form(app, loans_world):
    clerk, token = client(app, STAFF[Role.OPERATOR])
    r = clerk.post("/loans/applications", data={**FORM, "amount": "300001", "csrf_token": token})
    assert r.status_code == 422 and "申请金额不超过额度上限" in r.text and "小岗烧饼店" in r.text
    assert clerk.get("/api/v1/loans/applications").json()["total"] == 0


def test_a_mistyped_term_or_date_is_named_on_the_form_and_nothing_is_created(app, loans_world):
    clerk, token = client(app, STAFF[Role.OPERATOR])
    r = clerk.post("/loans/applications", data={**FORM, "months": "三十六", "csrf_token": token})
    assert r.status_code == 422 and "「期限（月）」应为不小于 0 的整数，收到「三十六」" in r.text and "小岗烧饼店" in r.text
    for months in ("0", "", "121"):
        r = clerk.post("/loans/applications", data={**FORM, "months": months, "csrf_token": token})
        assert r.status_code == 422 and "应为 1～120 个月" in r.text, months
    r = clerk.post("/loans/applications", data={**FORM, "months": "-5", "csrf_token": token})
    assert r.status_code == 422 and "收到「-5」" in r.text
    r = clerk.post("/loans/applications", data={**FORM, "graduated": "2024/13/01", "csrf_token": token})
    assert r.status_code == 422 and "「毕业日期」应为日期（如 2024-06-30），收到「2024/13/01」" in r.text
    r = clerk.post("/loans/applications", data={**FORM, "project": "烧" * 201, "csrf_token": token})
    assert r.status_code == 422 and "「创业项目」最多 200 个字符，收到 201 个" in r.text
    r = clerk.post("/loans/applications", data={**FORM, "jobs": "-1", "csrf_token": token})
    assert r.status_code == 422 and "「带动就业人数」应为不小于 0 的整数" in r.text
    assert clerk.get("/api/v1/loans/applications").json()["total"] == 0


def test_portal_code_login_and_online_application(app, loans_world):
    c = TestClient(app)
    token = csrf_of(c.get("/loans/portal/login").text)
    r = c.post("/loans/portal/code", data={"id_number": FORM["id_number"], "phone": "13800138000", "csrf_token": token})
    assert "验证码已发送至 138****8000" in r.text
    with session_scope(loans_world.engine) as s:
        code = re.search(r"\d{6}", s.scalars(select(OutboxMessage.body)).all()[-1]).group(0)
    bad = c.post("/loans/portal/login", data={"id_number": FORM["id_number"], "code": "x", "csrf_token": token})
    assert bad.status_code == 401 and "验证码不正确" in bad.text
    r = c.post("/loans/portal/login", data={"id_number": FORM["id_number"], "code": code, "csrf_token": token},
               follow_redirects=False)
    assert r.headers["location"] == "/loans/portal"
    token = csrf_of(c.get("/loans/portal").text)
    form = {k: v for k, v in FORM.items() if k != "id_number"}
    r = c.post("/loans/portal/apply", data={**form, "csrf_token": token})
    assert "CD" in r.text and "待初审" in r.text
    console = c.get("/loans/applications", follow_redirects=False)  # the portal session is no console login
    assert console.status_code == 303 and console.headers["location"].startswith("/login")
    assert "待初审" in c.get("/loans/portal", follow_redirects=False).text  # … and visiting the console did not log the applicant out
    for changed in ({"name": "王大明"}, {"phone": "13900139000"}):
        r = c.post("/loans/portal/apply", data={**form, **changed, "csrf_token": token})
        assert r.status_code == 422 and "网上申请不能更改已登记的姓名和手机号（已登记：王小明，138****8000）" in r.text
    with session_scope(loans_world.engine) as s:
        assert s.execute(select(Applicant.name, Applicant.phone)).all() == [("王小明", "13800138000")]


def test_every_list_exports_safe_excel(app, loans_world, tmp_path):
    clerk, token = client(app, STAFF[Role.OPERATOR])
    clerk.post("/loans/applications", data={**FORM, "project": "=HYPERLINK(\"x\")", "name": "=1+1",
                                            "csrf_token": token})
    for path in ("/loans/applications", "/loans/book", "/loans/fund", "/loans/reports", "/loans/claims"):
        r = clerk.get(path + "?format=xlsx")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml"), path
    data = clerk.get("/loans/applications?format=xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"  # the text as typed, kept a text cell
    assert ws["D1"].value == "金额（元）" and ws["D2"].value == 200000 and ws["D2"].number_format == "#,##0.00"
    (tmp_path / "申请.xlsx").write_bytes(data)
    assert formula_cells(tmp_path / "申请.xlsx") == []


def test_the_schedule_api_and_its_errors(app, loans_world):
    clerk, _ = client(app, STAFF[Role.OPERATOR])
    r = clerk.get("/api/v1/loans/schedule", params={"principal": "200000", "rate": "3.5%", "lpr": "3.0%",
                                                    "start": "2026-01-01", "months": 36})
    assert r.json()["periods"][0]["subsidy"] == "1000.00"
    r = clerk.get("/api/v1/loans/schedule", params={"principal": "x", "rate": "3.5%", "lpr": "3.0%",
                                                    "start": "2026-01-01", "months": 36})
    assert r.status_code == 422 and "本金" in r.json()["error"]["message"]


def portal_login(c: TestClient, id_number: str, engine) -> str:
    token = csrf_of(c.get("/loans/portal/login").text)
    c.post("/loans/portal/code", data={"id_number": id_number, "phone": "13800138000", "csrf_token": token})
    with session_scope(engine) as s:
        code = re.search(r"\d{6}", s.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()).group(0)
    c.post("/loans/portal/login", data={"id_number": id_number, "code": code, "csrf_token": token})
    return csrf_of(c.get("/loans/portal").text)


def test_the_applicant_resubmits_after_correction_only_their_own(app, loans_world):
    from tests.loans.conftest import CLERK, individual
    from zhida.loans.applications import submit
    from zhida.loans.process import APPLICATION, AppState

    with session_scope(loans_world.engine) as s:
        mine = submit(s, CLERK, individual())
        APPLICATION.fire(s, mine, AppState.RETURNED, CLERK, comment="请补充退役证复印件")
        number = mine.number
    c = TestClient(app)
    token = csrf_of(c.get("/loans/portal/login").text)
    c.post("/loans/portal/code", data={"id_number": id_of("19910601", "003"), "phone": "13800138009", "csrf_token": token})
    with session_scope(loans_world.engine) as s:
        code = re.search(r"\d{6}", s.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()).group(0)
    c.post("/loans/portal/login", data={"id_number": id_of("19910601", "003"), "code": code, "csrf_token": token})
    token = csrf_of(c.get("/loans/portal").text)
    r = c.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": "已补充"})
    assert r.status_code == 403 and "本人" in r.text
    owner = TestClient(app)
    token = portal_login(owner, FORM["id_number"], loans_world.engine)
    page = owner.get("/loans/portal").text
    assert f'id="correct-{number}"' in page and "补正说明（必填）" in page
    r = owner.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": " "})
    assert r.status_code == 422 and "请填写补正说明" in r.text
    r = owner.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": "补" * 501})
    assert r.status_code == 422 and "「补正说明」最多 500 个字符，收到 501 个" in r.text
    r = owner.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": "改金额", "months": "200"})
    assert r.status_code == 422 and "「期限（月）」应为 1～120 的整数，收到「200」" in r.text
    for jobs in ("²", "9" * 5000, "1e3"):
        r = owner.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": "改人数", "jobs": jobs})
        assert r.status_code == 422 and "「带动就业人数」应为 0～2147483647 的整数" in r.text, jobs
    r = owner.post(f"/loans/portal/resubmit/{number}", data={"csrf_token": token, "note": "已补充退役证复印件",
                                                              "amount": "150000", "evidence": "退役证 2019-002",
                                                              "project": ""}, follow_redirects=False)
    assert r.status_code == 303
    with session_scope(loans_world.engine) as s:
        app_ = s.scalars(select(Application).where(Application.number == number)).one()
        assert (app_.state, app_.amount_fen, app_.project) == ("待初审", 15_000_000, "小岗烧饼店")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "补正贷款申请")).one()
        assert entry.actor == FORM["id_number"]
        assert json.loads(entry.after) == {"申请金额（元）": 15_000_000, "证明材料编号": "退役证 2019-002"}


def test_a_claim_step_s_note_is_limited_like_every_step_s(app, loans_world):
    from tests.loans.conftest import BANKER, D, make_loan
    from zhida.loans import subsidy

    make_loan(loans_world.engine, start=D(2025, 7, 20))
    with session_scope(loans_world.engine) as s:
        claim_id = subsidy.build_claim(s, BANKER, "NSYH", "2025Q4").id
    finance = TestClient(app)
    token = staff_login(finance, "caizheng")
    r = finance.post(f"/loans/claims/{claim_id}/advance", data={"to": "已审核", "comment": "意" * 501,
                                                                 "csrf_token": token})
    assert r.status_code == 422 and "「意见或理由」最多 500 个字符，收到 501 个" in r.text
    with session_scope(loans_world.engine) as s:
        assert subsidy.get_claim(s, claim_id).state == "待审核"
