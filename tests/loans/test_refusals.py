"""Input that used to fail with a server error (500) or a traceback is refused in Chinese, naming
the field: amounts that are not typed yuan or do not fit the column, counts too large, dates not
in the calendar or a term running past it, a graduation date after the application; and the
route's own parameter checks speak Chinese too (TestClient and the CLI, both databases)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.loans.conftest import CLERK, D, individual, person
from tests.loans.test_cli import SCHEDULE, run
from tests.loans.test_pages import FORM, client
from tests.web.conftest import STAFF, csrf_of
from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.loans.applications import submit
from zhida.platform.models import OutboxMessage
from zhida.roles import Role

NOT_TYPED = "不是有效金额：应为元，只写数字，可用逗号分隔千位，最多两位小数（如 200000 或 200,000.00）"
TOO_LARGE = "不是有效金额：超出可记录的范围：最多 92,233,720,368,547,758.07 元"
AMOUNTS = [("99999999999999999999999", TOO_LARGE), ("92233720368547758.08", TOO_LARGE), ("1e30", NOT_TYPED),
           ("1e5", NOT_TYPED), ("1_000", NOT_TYPED), ("1,00", NOT_TYPED), ("-5", NOT_TYPED), ("２００", NOT_TYPED)]
FIELDS = [({"months": "²"}, "「期限（月）」应为不小于 0 的整数，收到「²」"),
          ({"months": "9" * 30}, "「期限（月）」数值过大"),
          ({"jobs": "9" * 5000}, "「带动就业人数」数值过大"),
          ({"graduated": "2026-02-29"}, "「毕业日期」日期不存在：收到「2026-02-29」，2026 年 2 月只有 28 天"),
          ({"graduated": "2026-01-06"}, "王小明 的毕业日期 2026-01-06 晚于申请日期 2026-01-05")]


def error_of(html: str) -> str:
    found = re.search(r'id="apply-error">([^<]*)<', html)
    assert found, html[:300]
    return found.group(1)


def counter(app) -> tuple[TestClient, str]:
    app.state.clock = lambda: D(2026, 1, 5)
    c, token = client(app, STAFF[Role.OPERATOR])
    assert token
    return c, token


def portal(app, engine) -> tuple[TestClient, str]:
    """An applicant logged in on the portal with the form's 身份证号."""
    app.state.clock = lambda: D(2026, 1, 5)
    c = TestClient(app)
    token = csrf_of(c.get("/loans/portal/login").text)
    c.post("/loans/portal/code", data={"id_number": FORM["id_number"], "phone": FORM["phone"], "csrf_token": token})
    with session_scope(engine) as s:
        body = s.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    code = re.search(r"\d{6}", body or "").group(0)
    c.post("/loans/portal/login", data={"id_number": FORM["id_number"], "code": code, "csrf_token": token})
    return c, csrf_of(c.get("/loans/portal").text)


@pytest.mark.parametrize("amount,message", AMOUNTS)
def test_an_amount_that_is_not_typed_yuan_or_too_large_is_refused_at_the_counter(app, loans_world, amount, message):
    c, token = counter(app)
    r = c.post("/loans/applications", data={**FORM, "amount": amount, "csrf_token": token})
    assert r.status_code == 422 and error_of(r.text) == f"贷款金额「{amount}」{message}"
    assert c.get("/api/v1/loans/applications").json()["total"] == 0


@pytest.mark.parametrize("fields,message", FIELDS)
def test_a_count_or_date_out_of_reach_is_refused_at_the_counter_naming_the_field(app, loans_world, fields, message):
    c, token = counter(app)
    r = c.post("/loans/applications", data={**FORM, **fields, "csrf_token": token})
    assert r.status_code == 422 and message in error_of(r.text)
    assert c.get("/api/v1/loans/applications").json()["total"] == 0


def test_the_portal_refuses_the_same_input_and_takes_comma_thousands(app, loans_world):
    c, token = portal(app, loans_world.engine)
    form = {k: v for k, v in FORM.items() if k != "id_number"}
    for fields, message in [({"amount": "1e30"}, NOT_TYPED), ({"amount": "9" * 23}, TOO_LARGE), *FIELDS]:
        r = c.post("/loans/portal/apply", data={**form, **fields, "csrf_token": token})
        assert r.status_code == 422 and message in error_of(r.text), fields
    r = c.post("/loans/portal/apply", data={**form, "amount": "200,000.00", "graduated": "2026-01-05",
                                             "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303  # graduated on the day of the application: not later than it


@pytest.mark.parametrize("change,message", [
    ({"amount": "92233720368547758.08"}, "贷款金额「92233720368547758.08」不是有效金额：超出可记录的范围"),
    ({"jobs_created": 2**31}, "带动就业人数 2147483648 不对：应为 0～2147483647 的整数"),
    ({"who": person(graduated_on=D(2026, 1, 6))}, "王小明 的毕业日期 2026-01-06 晚于申请日期 2026-01-05"),
])
def test_the_service_refuses_what_the_columns_cannot_hold_and_a_future_graduation(loans_db, change, message):
    with session_scope(loans_db) as s, pytest.raises(ValidationFailed) as err:
        submit(s, CLERK, individual(**change))
    assert message in err.value.message


def test_the_schedule_api_refuses_a_term_past_the_calendar_and_amounts_in_chinese(app, loans_world):
    c, _ = client(app, STAFF[Role.OPERATOR])
    base = {"principal": "200000", "rate": "3.5%", "lpr": "3.0%", "start": "2026-01-01", "months": 36}
    for change, message in [
        ({"start": "9999-12-31"}, "贷款到期日超出可计算范围：9999-12-31 起 36 个月后已超过 9999-12-31"),
        ({"start": "9999-12-01", "months": 1}, "贷款到期日超出可计算范围：9999-12-01 起 1 个月后"),
        ({"principal": "1e30"}, "本金「1e30」" + NOT_TYPED),
        ({"principal": "9" * 23}, "本金「" + "9" * 23 + "」" + TOO_LARGE),
        ({"start": "2026-02-29"}, "「放款日」日期不存在：收到「2026-02-29」，2026 年 2 月只有 28 天"),
        ({"months": "x"}, "「期限（月）」应为整数，收到「x」"),
        ({"months": "121"}, "「期限（月）」应不大于 120，收到「121」"),
    ]:
        r = c.get("/api/v1/loans/schedule", params={**base, **change})
        assert r.status_code == 422 and message in r.json()["error"]["message"], (change, r.text)
    ok = c.get("/api/v1/loans/schedule", params={**base, "principal": "92,233,720,368,547,758.07", "months": 120})
    assert ok.status_code == 200 and ok.json()["totals"]["principal"] == "92233720368547758.07"


def test_the_loans_api_and_pages_name_a_mistyped_parameter_in_chinese(app, loans_world):
    c, token = client(app, STAFF[Role.OPERATOR])
    for path, message in [("/api/v1/loans/reports/abc", "「年度」应为整数，收到「abc」"),
                          ("/api/v1/loans/loans?year=x", "「放款年度」应为整数，收到「x」"),
                          ("/api/v1/loans/applications?page=0", "「页码」应不小于 1，收到「0」")]:
        r = c.get(path)
        assert r.status_code == 422, path
        error = r.json()["error"]
        assert message in error["message"] and error["details"][0]["message"] == message, path
        assert "Input should" not in r.text, path
    r = c.post("/api/v1/loans/applications/CD2026-000001/advance", json={"comment": "x"},
               headers={"x-csrf-token": token})
    assert r.status_code == 422 and "「目标状态」不能为空" in r.json()["error"]["message"], r.text
    page = c.post("/loans/book/DK2026-000001/advance", data={"to": "还款中", "months": "三", "csrf_token": token})
    assert page.status_code == 422 and "「展期月数」应为整数，收到「三」" in page.text and "Input should" not in page.text


@pytest.mark.parametrize("option,value,message", [
    ("--start", "9999-12-31", "贷款到期日超出可计算范围：9999-12-31 起 36 个月后已超过 9999-12-31"),
    ("--start", "2026-02-29", "「放款日」日期不存在"),
    ("--principal", "1e30", "本金「1e30」不是有效金额"),
    ("--principal", "9" * 23, "超出可记录的范围"),
])
def test_the_schedule_command_refuses_with_a_message_and_exit_code_not_a_traceback(capsys, option, value, message):
    args = list(SCHEDULE)
    args[args.index(option) + 1] = value
    r = run(capsys, *args)
    assert r.returncode == 2 and message in r.stderr.replace("\n", "") and "Traceback" not in r.stderr
