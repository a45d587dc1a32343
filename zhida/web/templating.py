"""Jinja2 templates: one environment, Chinese number formats, the navigation per role."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from zhida.money import format_wan, format_yuan
from zhida.programmes import modules, template_dirs
from zhida.roles import ROLE_LABELS, STAFF_ROLES, Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=[str(HERE / "templates"), *map(str, template_dirs())])

# (path, label, roles that see the entry; None = every staff role)
NAV = [
    ("/", "首页", None),
    ("/units", "单位", None),
    ("/imports", "数据导入", (Role.OPERATOR,)),
    ("/policies", "政策", None),
    ("/cycles", "发放批次", None),
    ("/stats", "经济运行", None),
    ("/jobs", "就业服务", None),
    ("/audit", "审计", (Role.REVIEWER, Role.LEADER)),
    ("/account-changes", "账号变更", (Role.OPERATOR, Role.REVIEWER, Role.LEADER)),
    ("/accounts", "账号", ()),
]


def nav_for(role: str | None) -> list[tuple[str, str]]:
    """The navigation entries one role sees: those its role may open. An entry without roles
    (None) is a console page for the core staff roles (``StaffDep``); a programme's role
    (银行, 担保机构 …) sees the home page and the entries that name it.

    >>> [label for _, label in nav_for("operator")][:3]
    ['首页', '单位', '数据导入']
    >>> nav_for("unit")[0], ("/approvals/my", "审批办件") in nav_for("unit")
    (('/portal', '本单位'), True)
    >>> "/approvals/my" in [path for path, _ in nav_for("admin")]
    False
    >>> [path for path, _ in nav_for("loan_bank")]
    ['/', '/loans/applications', '/loans/book', '/loans/claims', '/loans/fund']
    """
    if role is None:
        return []
    entries = [(path, label, None if roles is None else {str(getattr(r, "value", r)) for r in roles})
               for path, label, roles in [*NAV, *programme_nav()]]
    if role == Role.UNIT.value:  # the portal, plus what a programme offers units (e.g. their approval cases)
        return [("/portal", "本单位"), *[(p, lbl) for p, lbl, rs in entries if rs and role in rs]]
    staff = [(p, lbl, rs) for p, lbl, rs in entries if rs is None or Role.UNIT.value not in rs]
    core = role in {r.value for r in STAFF_ROLES}
    return [(p, lbl) for p, lbl, rs in staff
            if role == Role.ADMIN.value or (role in rs if rs is not None else core or p == "/")]


def programme_nav() -> list:
    """The ``NAV`` entries of every programme's ``pages`` module, after the console's own."""
    global _PROGRAMME_NAV
    if _PROGRAMME_NAV is None:
        _PROGRAMME_NAV = [entry for m in modules("pages", skip=("web",)) for entry in getattr(m, "NAV", [])]
    return _PROGRAMME_NAV


_PROGRAMME_NAV: list | None = None


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(int(fen))


def _wan(fen: int | None) -> str:
    return "—" if fen is None else format_wan(int(fen))


def _pct(value) -> str:
    return "—" if value is None else f"{float(value) * 100:.2f}%"


def _show(value, unit: str) -> str:
    from zhida.rules.lang.display import plain_value

    shown = plain_value(value, unit)
    return ("是" if shown else "否") if isinstance(shown, bool) else str(shown)


def _open_reasons(reasons) -> str:
    from zhida.rules.explain import open_reasons

    return open_reasons(reasons)


def _split_pair(text: str) -> tuple[str, str]:
    """``"q=%E9%93%9D"`` → ``("q", "铝")``: a query-string part, for the hidden fields of a form."""
    from urllib.parse import unquote_plus

    key, _, value = text.partition("=")
    return unquote_plus(key), unquote_plus(value)


def _number(value, unit: str | None = None) -> str:
    from zhida.stats.display import number

    return number(value, unit)


def _percent(value) -> str:
    from zhida.stats.display import percent

    return percent(value)


templates.env.filters.update(yuan=_yuan, wan=_wan, pct=_pct, open_reasons=_open_reasons, split_pair=_split_pair,
                             number=_number, percent=_percent)
def _describe_audit(entry) -> tuple[str, str, str, str]:
    from zhida.web.auditlabels import describe

    return describe(entry)


templates.env.globals.update(show=_show, describe=_describe_audit)
templates.env.globals.update(ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()})


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200,
           actor=None) -> Response:
    """Render a page with the layout's needs (actor, navigation, CSRF token)."""
    from zhida.web.deps import SESSION_USER, csrf_token

    ctx = dict(context or {})
    role = actor.role.value if actor is not None else request.session.get("role")
    ctx.setdefault("actor", actor)
    ctx.setdefault("username", request.session.get(SESSION_USER))
    ctx["nav"] = nav_for(role if request.session.get(SESSION_USER) else None)
    ctx["csrf"] = csrf_token(request)
    ctx["path"] = request.url.path
    ctx["flash"] = request.session.pop("flash", None)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
