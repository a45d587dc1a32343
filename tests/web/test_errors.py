"""One error shape for the API, built in one place; pages show the same message."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient

from tests.web.conftest import login
from zhida.errors import ImportRefused, NotFound, PermissionDenied, RowError, StateError
from zhida.web.errors import error_body

SHAPE = {"error"}
INNER = {"code", "message", "details"}


def assert_shape(body: dict) -> dict:
    assert set(body) == SHAPE and set(body["error"]) == INNER
    return body["error"]


def test_error_body_is_the_documented_shape():
    body = error_body("not_found", "单位不存在")
    assert body == {"error": {"code": "not_found", "message": "单位不存在", "details": []}}


def test_api_not_found_and_validation_share_the_shape(client):
    login(client, "t_operator")
    err = assert_shape(client.get("/api/v1/units/91371523MA3C00099X").json())
    assert err["code"] == "not_found" and "不存在" in err["message"]
    r = client.get("/api/v1/units?size=100000")
    assert r.status_code == 422
    assert assert_shape(r.json())["details"][0]["column"] == "query.size"
    r = client.get("/api/v1/nowhere")
    assert r.status_code == 404 and assert_shape(r.json())["code"] == "not_found"


@pytest.mark.parametrize("exc,status", [
    (NotFound("批次 9 不存在"), 404), (PermissionDenied("没有权限"), 403), (StateError("已完成的批次不能退回"), 409),
    (ImportRefused("文件被拒绝", [RowError("a.csv", 3, "年度", "20x4", "四位年份")]), 422),
    (RuntimeError("boom"), 500),
])
def test_domain_errors_are_translated_at_the_edge(app, exc, status):
    probe = APIRouter()

    @probe.get("/api/v1/_probe")
    @probe.get("/_probe")
    def raise_it():
        raise exc

    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/_probe")
        assert r.status_code == status
        err = assert_shape(r.json())
        if isinstance(exc, ImportRefused):
            assert err["details"][0] == {"row": 3, "column": "年度", "value": "20x4", "expected": "四位年份",
                                         "message": 'a.csv: 第 3 行 列「年度」 值 "20x4"：四位年份'}
        page = c.get("/_probe")
        assert page.status_code == status and "text/html" in page.headers["content-type"]
        if status < 500:
            assert exc.message in page.text


def test_a_success_flashed_by_a_request_that_then_failed_is_never_shown(app):
    from zhida.web.deps import flash

    probe = APIRouter()

    @probe.get("/_flash_then_fail")
    def flash_then_fail(request: Request):
        flash(request, "已保存成功")
        raise StateError("保存失败：状态已变化")

    app.include_router(probe)
    with TestClient(app) as c:
        login(c, "t_operator")
        r = c.get("/_flash_then_fail")
        assert r.status_code == 409 and "保存失败：状态已变化" in r.text and "已保存成功" not in r.text
        assert "已保存成功" not in c.get("/").text  # nor on the next page


def test_a_refused_parameter_is_named_in_chinese_with_what_it_should_be(client):
    token = login(client, "t_operator")
    r = client.get("/api/v1/units?size=abc")  # declared in the paging dependency, described 每页行数
    err = assert_shape(r.json())
    assert r.status_code == 422 and "Input should" not in r.text
    assert err["details"] == [{"row": None, "column": "query.size", "value": "abc", "expected": "应为整数",
                               "message": "「每页行数」应为整数，收到「abc」"}]
    assert err["message"] == "请求参数不合法：「每页行数」应为整数，收到「abc」"
    r = client.get("/api/v1/cycles/0")  # no label declared: the parameter's name
    assert "「cycle_id」应不小于 1，收到「0」" in assert_shape(r.json())["message"]
    r = client.post("/api/v1/cycles/1/advance", content=b"{bad", headers={"content-type": "application/json",
                                                                          "x-csrf-token": token})
    assert r.status_code == 422 and "「提交内容」不是有效的 JSON" in assert_shape(r.json())["message"]
    page = client.get("/?year=abc")
    assert page.status_code == 422 and "「年度」应为整数，收到「abc」" in page.text and "Input should" not in page.text
