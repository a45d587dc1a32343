"""API reference pages（接口文档）: Swagger UI at ``/api/v1/docs`` and ReDoc at ``/api/v1/redoc``.

Both are served from the vendored bundles under ``/static/vendor`` (no CDN), so they work on a
network without internet access. Public like the OpenAPI schema they render.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter()

OPENAPI_URL = "/api/v1/openapi.json"
TITLE = "直达 zhida API"
FAVICON = "/static/favicon.svg"


@router.get("/api/v1/docs", include_in_schema=False)
def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI_URL,
        title=f"{TITLE} · 接口文档",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
    )


@router.get("/api/v1/redoc", include_in_schema=False)
def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI_URL,
        title=f"{TITLE} · ReDoc",
        redoc_js_url="/static/vendor/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
