"""API models, named by the direction data flows: ``…Public`` goes out, ``…In`` comes in.

Table models are never returned from the API; each ``…Public`` is built from one.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class PagePublic(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int
    pages: int


def page_public(page, convert) -> dict:
    return {"items": [convert(x) for x in page.items], "total": page.total, "page": page.page,
            "size": page.size, "pages": page.pages}


class MePublic(BaseModel):
    username: str
    role: str
    role_label: str
    uscc: str | None


class UnitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uscc: str
    name: str
    unit_type: str | None
    industry_code: str | None
    size_class: str | None
    township: str | None
    employees: int | None


class ReasonPublic(BaseModel):
    text: str
    passed: bool | None


class DecisionPublic(BaseModel):
    run_id: int
    policy_id: str
    policy_name: str
    period: str
    status: str
    status_label: str
    amount_fen: int
    reasons: list[ReasonPublic]


class EntitlementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uscc: str
    name: str
    amount_fen: int
    size_class: str | None
    township: str | None
    insured: int
    confirmation: str
    objection_open: bool
    excluded: str | None


class LegalBasisPublic(BaseModel):
    title: str
    doc_no: str
    article: str


class PolicyPublic(BaseModel):
    id: str
    name: str
    description: str
    period_type: str
    legal_basis: list[LegalBasisPublic]


class AdvanceIn(BaseModel):
    """Move a cycle: to the named state, or to the next one when ``to`` is empty.

    ``from_state``: the state the caller saw; when given, a cycle moved meanwhile is refused (409).
    """

    to: str | None = None
    note: str | None = None
    from_state: str | None = None
