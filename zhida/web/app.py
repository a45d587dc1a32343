"""The FastAPI application: pages for staff and units, and the REST API under /api/v1."""

from __future__ import annotations

import datetime as dt
import importlib

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from zhida import __version__
from zhida.config import Settings, get_settings
from zhida.web import conflicts, errors
from zhida.web.deps import verify_csrf
from zhida.web.pool import web_engine
from zhida.web.reads import PageIndex
from zhida.web.security import SecurityHeaders
from zhida.web.templating import HERE

SESSION_COOKIE = "zhida_session"
SESSION_MAX_AGE = 8 * 3600

# route modules; each exposes ``router``. The API comes first: routes are matched in this order,
# the API serves most requests, and no page shares its /api/v1 prefix. Pages in navigation order.
ROUTE_MODULES = ["api", "apidocs", "auth", "home", "units", "imports", "tasks", "policies", "cycles", "portal",
                 "stats", "jobs", "audit", "admin", "exports"]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="直达 zhida API", version=__version__,
                  description="政策直达、免申即享：单位、政策判定、发放批次的 REST 接口。错误统一为 "
                              '`{"error": {"code", "message", "details"}}`。',
                  docs_url=None, openapi_url="/api/v1/openapi.json", redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None)
    app.state.settings = settings
    app.state.engine = engine if engine is not None else web_engine(settings)
    app.state.page_index = PageIndex()
    app.state.clock = dt.date.today
    app.add_middleware(SessionMiddleware, secret_key=settings.cookie_secret, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, same_site="lax",
                       https_only=settings.environment == "production")
    app.add_middleware(SecurityHeaders)  # outermost: every response, errors included
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)
    conflicts.install(app)
    for module in route_modules():
        app.include_router(module.router, dependencies=[Depends(verify_csrf)])
    return app


def route_modules() -> list:
    """The console's own route modules, then every programme's ``pages`` module."""
    from zhida.programmes import modules

    own = [importlib.import_module(f"zhida.web.routes.{name}") for name in ROUTE_MODULES]
    return own + modules("pages", skip=("web",))


def route_table() -> list[tuple[str, str]]:
    """Every (method, path) the route modules serve, for the access-matrix test and the docs."""
    out: list[tuple[str, str]] = []
    for module in route_modules():
        for route in module.router.routes:
            out.extend((method, route.path) for method in sorted(route.methods - {"HEAD"}))
    return out
