"""Security headers on every response: a Content-Security-Policy without inline script, no framing,
no MIME sniffing, no referrer to other sites.

Pages load scripts only from ``/static`` (no inline ``<script>``, no ``on…=`` handlers, no
``javascript:`` links — behaviour is bound in ``static/js/zhida.js``). Styles may be inline
(ECharts and htmx set them). The API reference pages (``/api/v1/docs`` Swagger UI, ``/api/v1/redoc``)
load their vendored bundles from ``/static`` but need an inline bootstrap script (Swagger UI) and a
``blob:`` worker (ReDoc's search); they get a policy of their own allowing exactly that.
"""

from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = frozenset({"/api/v1/docs", "/api/v1/redoc"})
COMMON = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
          (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin")]


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task or copy of the body)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = (DOCS_CSP if scope.get("path") in DOCS_PATHS else CSP).encode("ascii")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *COMMON, (b"content-security-policy", csp)]
            await send(message)

        await self.app(scope, receive, with_headers)
