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

A, O, R, L, U = Role.ADMIN, Role.OPERATOR, Role.REVIEWER, Role.LEADER, Role.UNIT  # noqa: E741 (one letter per role keeps the matrix below readable)
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
    ("GET", "/loans/portal/login"): PUBLIC,  # the loans applicants' login (before any request that ends a session)
    ("POST", "/loans/portal/login"): PUBLIC,
    ("POST", "/loans/portal/code"): PUBLIC,
    ("GET", "/portal/activate"): PUBLIC,
    ("POST", "/portal/activate"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/api/v1/docs"): PUBLIC,
    ("GET", "/api/v1/redoc"): PUBLIC,
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
    ("GET", "/cycles/{cycle_id}/publicity/print"): STAFF,
    ("POST", "/cycles/{cycle_id}/objections"): {A, O, R},
    ("POST", "/cycles/{cycle_id}/objections/{objection_id}"): {A, O, R},
    ("POST", "/cycles/{cycle_id}/calls"): {A, O},
    ("POST", "/cycles/{cycle_id}/calls/{call_id}"): {A, O},
    ("POST", "/cycles/{cycle_id}/export"): {A, O},
    ("GET", "/cycles/{cycle_id}/files/{name}"): {A, O},
    ("POST", "/cycles/{cycle_id}/return"): {A, O},
    ("POST", "/cycles/{cycle_id}/payments/{uscc}/correct"): {A, O},
    ("POST", "/cycles/{cycle_id}/payments/{uscc}/cancel"): {A, O, R},
    ("GET", "/exports/cycles"): STAFF,
    ("GET", "/exports/cycles/{cycle_id}/{what}"): STAFF,
    ("GET", "/exports/audit"): {A, R, L},
    ("GET", "/portal"): {U},
    ("POST", "/portal/confirm"): {U},
    ("POST", "/portal/objections"): {U},
    ("GET", "/audit"): {A, R, L},
    ("GET", "/audit/verify"): {A, R, L},
    ("GET", "/accounts"): {A},
    ("POST", "/accounts"): {A},
    ("POST", "/accounts/{username}/active"): {A},
    ("POST", "/units/{uscc}/account"): {A, O},  # a password reset: an activation to the unit's phone
    ("POST", "/units/{uscc}/bank-account"): {A, O},  # an account change, effective after review
    ("GET", "/account-changes"): STAFF,
    ("POST", "/account-changes/{change_id}"): {A, R},  # the second person
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
    # 行政审批 (zhida/approvals/pages.py, api.py); the services check roles and departments further
    ("GET", "/approvals"): STAFF,
    ("GET", "/approvals/matters"): STAFF,
    ("POST", "/approvals/matters"): {A, O, L},
    ("POST", "/approvals/staff"): {A, L},
    ("GET", "/approvals/new"): {A, O},
    ("POST", "/approvals/cases"): {A, O},
    ("GET", "/approvals/cases/{case_no}"): STAFF,
    ("POST", "/approvals/cases/{case_no}/act"): STAFF,
    ("POST", "/approvals/tasks/{task_id}/done"): STAFF,
    ("POST", "/approvals/promises/{promise_id}/delivered"): {A, O},
    ("GET", "/approvals/alerts"): STAFF,
    ("GET", "/approvals/stats"): STAFF,
    ("GET", "/approvals/stats.xlsx"): STAFF,
    ("GET", "/approvals/my"): {U},
    ("POST", "/approvals/my/{case_no}/rate"): {U},
    ("GET", "/api/v1/approvals/deadline"): ALL,
    ("GET", "/api/v1/approvals/cases"): STAFF,
    ("GET", "/api/v1/approvals/cases/{case_no}"): STAFF,
    ("POST", "/api/v1/approvals/cases/{case_no}/actions"): STAFF,
    ("GET", "/api/v1/approvals/alerts"): STAFF,
    ("GET", "/api/v1/approvals/dashboard"): STAFF,
    ("GET", "/api/v1/approvals/projects/{project_ref}/cases"): STAFF,
    # 重点项目: staff roles (and the programme's 项目专班, 责任部门); the services check scope and roles
    ("GET", "/api/v1/projects"): STAFF,
    ("GET", "/api/v1/projects/report"): STAFF,
    ("GET", "/api/v1/projects/targets"): STAFF,
    ("GET", "/api/v1/projects/{project_id}"): STAFF,
    ("POST", "/api/v1/projects/{project_id}/reports"): STAFF,
    ("GET", "/api/v1/projects/issues/{issue_id}"): STAFF,
    ("POST", "/api/v1/projects/issues/{issue_id}/notes"): STAFF,
    ("POST", "/api/v1/projects/issues/{issue_id}/files"): STAFF,
    ("POST", "/api/v1/projects/issues/{issue_id}/close"): STAFF,
    ("GET", "/projects"): STAFF,
    ("GET", "/projects/export.xlsx"): STAFF,
    ("GET", "/projects/bulletin"): STAFF,
    ("GET", "/projects/targets"): STAFF,
    ("GET", "/projects/issues"): STAFF,
    ("GET", "/projects/issues/{issue_id}"): STAFF,
    ("POST", "/projects/issues/{issue_id}/notes"): STAFF,
    ("POST", "/projects/issues/{issue_id}/files"): STAFF,
    ("POST", "/projects/issues/{issue_id}/close"): STAFF,
    ("POST", "/projects/issues/{issue_id}/reopen"): STAFF,
    ("GET", "/projects/files/{file_id}"): STAFF,
    ("GET", "/projects/leads"): STAFF,
    ("POST", "/projects/leads"): STAFF,
    ("POST", "/projects/leads/{lead_id}/advance"): STAFF,
    ("POST", "/projects/leads/{lead_id}/project"): STAFF,
    ("GET", "/projects/{project_id}"): STAFF,
    ("POST", "/projects/{project_id}/reports"): STAFF,
    ("POST", "/projects/{project_id}/issues"): STAFF,
}
# the loans programme (its own roles — 担保机构, 银行, 财政 — are tested in tests/loans); the
# applicants' portal pages send anyone without an applicant login to /loans/portal/login
EXPECT.update({(m, p): rule for rule, routes in (
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
          "{task_id}": "0" * 32, "{name}": "x.csv", "{what}": "entitlements",
          "{case_no}": "SP202603010001", "{promise_id}": "1", "{project_ref}": "XM-1",
          "{project_id}": "1", "{issue_id}": "1", "{file_id}": "1", "{lead_id}": "1",
          "{change_id}": "1", "{number}": "CD2026-000001", "{claim_id}": "1", "{year}": "2026"}


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
        if path in ("/login", "/portal/login", "/portal/activate") and method == "POST":
            # a failed login attempt replaced the session
            token = login(client, username_of(role)) if role else csrf_of(client.get("/login").text)
    assert not failures, "\n".join(failures)
