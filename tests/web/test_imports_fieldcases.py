"""The web upload of each field-shaped example shows what the CLI says (same message, same errors)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.imports.test_fieldcases import CASES
from tests.web.conftest import login
from tests.web.test_imports_page import wait_task
from zhida.demo.generate import generate
from zhida.errors import ImportRefused
from zhida.imports.engine import run_import

FILES = sorted(p.name for p in CASES.glob("c*") if not p.name.startswith("c14"))


def kind_of(name: str) -> str:
    if name[:4] in ("c06a", "c06b", "c08_", "c12c"):
        return "enterprises"
    return "credit-list" if name.startswith("c10a") else "ui-payments"


@pytest.fixture
def seed1(world, tmp_path):
    """The units of ``zhida demo generate --units 300 --seed 1`` (the fieldcases refer to them)."""
    files = generate(tmp_path / "demo", units=300, seed=1)
    run_import("enterprises", files["enterprises"], engine=world.engine)
    return world


def cli_outcome(engine, name: str) -> tuple[str, list]:
    try:
        return run_import(kind_of(name), CASES / name, engine=engine, dry_run=True).summary(), []
    except ImportRefused as err:
        return err.message, err.errors


def test_every_fieldcase_uploads_like_the_cli(client, seed1):
    token = login(client, "t_operator")
    for name in FILES:
        message, errors = cli_outcome(seed1.engine, name)
        with (CASES / name).open("rb") as fh:
            r = client.post("/imports", data={"kind": kind_of(name), "csrf_token": token, "dry_run": "true"},
                            files={"file": (name, fh, "application/octet-stream")}, follow_redirects=False)
        assert r.status_code == 303, (name, r.text[:300])
        page = wait_task(client, r.headers["location"])
        shown = html.unescape(re.search(r'id="task-result">(.*?)</div>', page, re.S).group(1))
        assert shown == message, name
        assert "系统内部错误" not in page
        for e in errors:
            assert html.escape(e.expected) in page and (e.value is None or html.escape(e.value) in page), name
    uploads = Path(client.app.state.settings.data_dir) / "uploads"
    assert not any(uploads.iterdir())  # every upload removed once its import ended


@pytest.mark.browser
def test_browser_shows_lost_digits_and_the_title_row_note(page, seed1, backend):
    from tests.web.conftest import browser_login
    from tests.web.test_browser_flows import wait_task as wait_page

    browser_login(page, "t_operator")
    page.click("nav >> text=数据导入")
    page.select_option("select[name=kind]", "enterprises")
    page.set_input_files("input[name=file]", str(CASES / "c06a_account_as_number.xlsx"))
    page.click("#import-form button[type=submit]")
    assert wait_page(page) == "失败"
    table = page.inner_text("#error-table")
    assert "9256341685878310000" in table and "Excel 只保留 15 位有效数字" in table and "对公账号" in table
    page.goto("/imports")
    page.select_option("select[name=kind]", "ui-payments")
    page.set_input_files("input[name=file]", str(CASES / "c01_title_row.xlsx"))
    page.click("#import-form button[type=submit]")
    assert wait_page(page) == "完成"
    result = page.inner_text("#task-result")
    assert "共 3 行" in result and "表头在第 2 行" in result


def test_files_past_the_limits_are_refused_and_the_server_stays_up(client, world, monkeypatch, request):
    """A 1M-column CSV and a zip bomb through the upload: a Chinese refusal, then the next page works."""
    import io
    import zipfile

    from zhida.config import get_settings

    monkeypatch.setenv("ZHIDA_IMPORT_MAX_UNPACKED_MB", "20")  # the server and its probe child alike
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    token = login(client, "t_operator")
    wide = (",".join(f"c{i}" for i in range(1_000_000)) + "\n1,2\n").encode()
    bomb = io.BytesIO()
    with zipfile.ZipFile(CASES / "c07_float_noise.xlsx") as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * (40 * 1024 * 1024))
            z.writestr(item, data)
    for name, body, expected in (("wide.csv", wide, "超过 500 列的上限"), ("bomb.xlsx", bomb.getvalue(), "解压后超过")):
        r = client.post("/imports", data={"kind": "enterprises", "csrf_token": token},
                        files={"file": (name, io.BytesIO(body), "application/octet-stream")}, follow_redirects=False)
        page = wait_task(client, r.headers["location"])
        assert 'data-status="失败"' in page and expected in page and "系统内部错误" not in page, name
    assert client.get("/imports").status_code == 200
