"""数据导入 over HTTP: a file with errors is refused whole and its errors listed; a good one imports."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.conftest import OTHER, login
from zhida.db import session_scope
from zhida.identifiers import make_uscc
from zhida.registry.models import Unit

NEW = make_uscc("91371521MA3D0007X")
HEADER = "统一社会信用代码,单位名称,企业规模,乡镇街道\n"


def wait_task(client, location: str) -> str:
    for _ in range(200):
        html = client.get(location).text
        if 'data-status="完成"' in html or 'data-status="失败"' in html:
            return html
        time.sleep(0.05)
    raise AssertionError("task did not finish")


def upload(client, token: str, text: str, name: str = "单位.csv", dry_run: bool = False):
    data = {"kind": "enterprises", "csrf_token": token}
    if dry_run:
        data["dry_run"] = "true"
    r = client.post("/imports", data=data, files={"file": (name, io.BytesIO(text.encode("utf-8-sig")), "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return r.headers["location"]


def count_units(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(Unit))


def test_file_with_errors_is_refused_and_listed(client, world):
    token = login(client, "t_operator")
    bad = HEADER + f"{NEW},新企业,中型,振兴街道\n91371523MA3C00011A,坏代码公司,小型,振兴街道\n{OTHER},,巨型,\n"
    location = upload(client, token, bad)
    html = wait_task(client, location)
    assert 'data-status="失败"' in html and "未导入" in html
    assert "校验位" in html and "巨型" in html
    assert count_units(world.engine) == 2  # nothing written, not even the good row
    task_id = location.rsplit("/", 1)[1]
    xlsx = client.get(f"/imports/errors/{task_id}")
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("文件", "行号") and {r[1] for r in rows[1:]} == {3, 4}


def test_good_file_imports_and_dry_run_writes_nothing(client, world):
    token = login(client, "t_operator")
    good = HEADER + f"{NEW},聊城新材料有限公司,小型,信发街道\n"
    html = wait_task(client, upload(client, token, good, dry_run=True))
    assert "试运行" in html and count_units(world.engine) == 2
    html = wait_task(client, upload(client, token, good))
    assert "新增 1" in html and count_units(world.engine) == 3


def test_wrong_file_type_and_other_users_tasks(client, world):
    token = login(client, "t_operator")
    r = client.post("/imports", data={"kind": "enterprises", "csrf_token": token},
                    files={"file": ("a.txt", io.BytesIO(b"x"), "text/plain")})
    assert r.status_code == 422 and "只接受 .csv、.xlsx" in r.text
    location = upload(client, token, HEADER + f"{NEW},甲公司,小型,\n")
    wait_task(client, location)
    login(client, "t_reviewer")
    assert client.get(location).status_code == 403
    assert client.get("/imports/template/enterprises").status_code == 403


def test_refused_import_is_listed_in_recent_with_its_error_report(client, world):
    token = login(client, "t_operator")
    bad = HEADER + f"{NEW},新企业,巨型,振兴街道\n{OTHER},,小型,\n"
    location = upload(client, token, bad, name="有错的单位.csv")
    wait_task(client, location)
    task_id = location.rsplit("/", 1)[1]
    report = client.get(f"/imports/errors/{task_id}")
    errors = len(list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))) - 1
    assert errors >= 2
    page = client.get("/imports").text
    row = next(r for r in page.split("<tr>") if "有错的单位.csv" in r)
    assert "单位基本信息" in row and "enterprises" not in row
    assert f"未导入：{errors} 处错误" in row and "未写入任何数据" in row
    link = f'href="/imports/errors/{task_id}"'
    assert link in row and "import-errors" not in page  # downloaded by task, never by a server path
    assert client.get(f"/imports/errors/{task_id}").content == report.content
