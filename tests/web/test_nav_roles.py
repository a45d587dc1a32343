"""The console menu shows each role only the entries it may open: every link of every role's
menu opens (no 403), and a programme's roles (the loans' 担保机构, 银行, 财政) see none of the
console's own pages, which are for its staff roles."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.loans.conftest import loans_world  # noqa: F401  (the world plus the loans accounts)
from tests.web.conftest import STAFF, login
from zhida.roles import Role

CONSOLE = {"/units", "/imports", "/policies", "/cycles", "/stats", "/jobs", "/audit", "/account-changes", "/accounts"}
USERS = [*STAFF.values(), "danbao", "nsyh", "caizheng"]


def menu(client: TestClient) -> list[str]:
    html = client.get("/").text
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S)
    assert nav, "the home page has no menu"
    return re.findall(r'href="([^"]+)"', nav.group(0))


@pytest.mark.parametrize("user", USERS)
def test_every_entry_of_the_menu_opens(app, loans_world, user):  # noqa: F811
    c = TestClient(app)
    login(c, user)
    links = menu(c)
    assert "/" in links and len(links) >= 2
    for href in links:
        r = c.get(href, follow_redirects=False)
        assert r.status_code == 200, (user, href, r.status_code)
    staff_role = user in STAFF.values()
    assert bool(CONSOLE & set(links)) is staff_role, (user, links)
    if not staff_role:
        assert {"/loans/applications", "/loans/book"} <= set(links) and "/loans/reports" not in links


def test_the_operator_keeps_the_console_entries(app, loans_world):  # noqa: F811
    c = TestClient(app)
    login(c, STAFF[Role.OPERATOR])
    assert {"/units", "/imports", "/cycles", "/loans/book", "/loans/reports"} <= set(menu(c))
