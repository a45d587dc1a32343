"""Every route × every role × own or other unit: the expected allow or deny, never a 500.

``EXPECT`` is written by hand, independently of the routes' dependencies: a new route
fails ``test_every_route_is_in_the_matrix`` until someone states who may use it.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OTHER, OWN, csrf_of, login, username_of
from zhida.roles import Role
from zhida.web.app import route_table

A, O, R, L, U = Role.ADMIN, Role.OPERATOR, Role.REVIEWER, Role.LEADER, Role.UNIT
ALL = {A, O, R, L, U}
STAFF = {A, O, R, L}
PUBLIC = "public"

# (method, path) -> roles allowed ("public": no login needed). A path with {uscc} is tried
# with the unit's own USCC and another unit's; a unit account is allowed only on its own.
EXPECT: dict[tuple[str, str], set | str] = {
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/portal/login"): PUBLIC,
    ("POST", "/portal/login"): PUBLIC,
    ("POST", "/portal/code"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/"): ALL,  # a unit is redirected to its portal
    ("GET", "/units"): STAFF,
    ("GET", "/units/{uscc}"): STAFF,
    ("GET", "/imports"): {A, O},
    ("POST", "/imports"): {A, O},
    ("GET", "/imports/template/{kind}"): {A, O},
    ("GET", "/imports/errors/{task_id}"): {A, O},
    ("GET", "/tasks/{task_id}"): STAFF,
    ("GET", "/policies"): STAFF,
    ("GET", "/policies/{policy_id}"): STAFF,
    ("POST", "/policies/{policy_id}/run"): {A, O},
    ("GET", "/policies/{policy_id}/tests"): STAFF,
    ("POST", "/policies/{policy_id}/whatif"): STAFF,
    ("GET", "/policies/runs/{run_id}"): STAFF,
    ("GET", "/policies/runs/{run_id}/units/{uscc}"): STAFF,
    ("GET", "/cycles"): STAFF,
    ("POST", "/cycles"): {A, O},
    ("GET", "/cycles/{cycle_id}"): STAFF,
    ("POST", "/cycles/{cycle_id}/advance"): STAFF,  # the service checks each transition's roles
    ("GET", "/cycles/{cycle_id}/publicity"): STAFF,
    ("POST", "/cycles/{cycle_id}/objections"): {A, O, R},
    ("POST", "/cycles/{cycle_id}/objections/{objection_id}"): {A, O, R},
    ("POST", "/cycles/{cycle_id}/calls"): {A, O},
    ("POST", "/cycles/{cycle_id}/calls/{call_id}"): {A, O},
    ("POST", "/cycles/{cycle_id}/export"): {A, O},
    ("GET", "/cycles/{cycle_id}/files/{name}"): {A, O},
    ("POST", "/cycles/{cycle_id}/return"): {A, O},
    ("GET", "/portal"): {U},
    ("POST", "/portal/confirm"): {U},
    ("POST", "/portal/objections"): {U},
    ("GET", "/audit"): {A, R, L},
    ("GET", "/audit/verify"): {A, R, L},
    ("GET", "/accounts"): {A},
    ("POST", "/accounts"): {A},
    ("POST", "/accounts/{username}/active"): {A},
    ("POST", "/units/{uscc}/account"): {A, O},
    ("GET", "/stats"): STAFF,
    ("GET", "/jobs"): STAFF,
    ("POST", "/jobs"): {A, O},
    ("GET", "/jobs/{job_id}"): STAFF,
    ("GET", "/api/v1/me"): ALL,
    ("GET", "/api/v1/units"): STAFF,
    ("GET", "/api/v1/units/{uscc}"): ALL,
    ("GET", "/api/v1/units/{uscc}/decisions"): ALL,
    ("GET", "/api/v1/policies"): STAFF,
    ("GET", "/api/v1/cycles"): STAFF,
    ("GET", "/api/v1/cycles/{cycle_id}"): STAFF,
    ("GET", "/api/v1/cycles/{cycle_id}/entitlements"): STAFF,
    ("POST", "/api/v1/cycles/{cycle_id}/advance"): STAFF,
}
# the loans programme (its own roles — 担保机构, 银行, 财政 — are tested in tests/loans); the
# applicants' portal pages send anyone without an applicant login to /loans/portal/login
EXPECT.update({(m, p): rule for rule, routes in (
    (PUBLIC, ["GET /loans/portal/login", "POST /loans/portal/login", "POST /loans/portal/code"]),
    (set(), ["GET /loans/portal", "POST /loans/portal/apply", "POST /loans/portal/logout",
             "POST /loans/portal/resubmit/{number}"]),
    ({A, O}, ["GET /loans/applications/new", "POST /loans/applications", "POST /loans/book/sweep",
              "POST /loans/applications/intake"]),
    (STAFF, ["GET /loans/applications", "GET /loans/applications/{number}", "POST /loans/applications/{number}/advance",
             "GET /loans/book", "GET /loans/book/{number}", "POST /loans/book/{number}/advance", "GET /loans/claims",
             "POST /loans/claims", "GET /loans/claims/{claim_id}", "POST /loans/claims/{claim_id}/advance",
             "GET /loans/fund", "GET /loans/reports", "GET /api/v1/loans/applications",
             "GET /api/v1/loans/applications/{number}", "POST /api/v1/loans/applications/{number}/advance",
             "GET /api/v1/loans/loans", "GET /api/v1/loans/loans/{number}", "GET /api/v1/loans/schedule",
             "GET /api/v1/loans/claims", "GET /api/v1/loans/fund", "GET /api/v1/loans/reports/{year}"]),
) for m, p in (r.split(" ", 1) for r in routes)})

SAMPLE = {"{cycle_id}": "1", "{policy_id}": "wengang-fanhuan", "{run_id}": "1", "{job_id}": "1", "{fair_id}": "1",
          "{objection_id}": "1", "{call_id}": "1", "{username}": "t_leader", "{token}": "none", "{kind}": "enterprises",
          "{task_id}": "0" * 32, "{name}": "x.csv", "{number}": "CD2026-000001", "{claim_id}": "1", "{year}": "2026"}


def test_every_route_is_in_the_matrix():
    assert set(route_table()) == set(EXPECT)


def concrete(path: str, uscc: str) -> str:
    path = path.replace("{uscc}", uscc)
    for key, value in SAMPLE.items():
        path = path.replace(key, value)
    return path


def call(client: TestClient, method: str, path: str, token: str | None):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    headers = {"x-csrf-token": token} if token else {}
    return client.request(method, path, data={"csrf_token": token or ""}, headers=headers, follow_redirects=False)


def denied(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 303 and "/login" in response.headers.get("location", "")


def expected_allowed(rule, role: Role | None, uscc: str, path: str) -> bool:
    if rule == PUBLIC:
        return True
    if role is None or role not in rule:
        return False
    return not (role == U and "{uscc}" in path and uscc != OWN)


ROLES = [None, A, O, R, L, U]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_access_matrix(client, role):
    token = login(client, username_of(role)) if role else csrf_of(client.get("/login").text)
    failures = []
    for (method, path), rule in EXPECT.items():
        if path in ("/logout",):
            continue  # would end the session mid-test; covered in test_auth
        for uscc in ((OWN, OTHER) if "{uscc}" in path else (OWN,)):
            url = concrete(path, uscc)
            r = call(client, method, url, token)
            want = expected_allowed(rule, role, uscc, path)
            if r.status_code >= 500 or denied(r) == want:
                failures.append(f"{method} {url}: {r.status_code} (expected {'allow' if want else 'deny'})")
        if path in ("/login", "/portal/login") and method == "POST":
            # a failed login attempt replaced the session
            token = login(client, username_of(role)) if role else csrf_of(client.get("/login").text)
    assert not failures, "\n".join(failures)
