"""Headless Chromium with every non-loopback request blocked: the API reference pages（接口文档）
render from the vendored Swagger UI and ReDoc bundles, so they work offline."""

from __future__ import annotations

import pytest

from zhida.web.security import DOCS_CSP

pytestmark = pytest.mark.browser

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def offline(page) -> list[str]:
    """Abort every request that leaves 127.0.0.1; return the list the aborted URLs go to."""
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("http://127.0.0.1:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return blocked


def csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_swagger_ui_renders_offline(page, backend):
    blocked, refused = offline(page), csp_errors(page)
    response = page.goto("/api/v1/docs")
    assert response.headers["content-security-policy"] == DOCS_CSP
    paths = page.locator(".opblock-summary-path")
    paths.first.wait_for()
    assert "/api/v1/units/{uscc}" in paths.all_inner_texts()
    assert page.locator(".info .title").inner_text().startswith("直达 zhida API")
    assert blocked == [] and refused == []


def test_redoc_renders_offline(page, backend):
    blocked, refused = offline(page), csp_errors(page)
    response = page.goto("/api/v1/redoc")
    assert response.headers["content-security-policy"] == DOCS_CSP
    page.locator("h1").first.wait_for()
    assert page.locator("h1").first.inner_text().startswith("直达 zhida API")
    assert "/api/v1/units/{uscc}" in page.inner_text("body")
    # the bundle's sidebar badge points at the vendor's CDN: the policy refuses it and ReDoc
    # drops the image on the error; nothing else is refused and nothing leaves the machine
    assert [m for m in refused if REDOCLY_LOGO not in m] == []
    assert page.locator(f"img[src='{REDOCLY_LOGO}']").count() == 0
    assert blocked == []
