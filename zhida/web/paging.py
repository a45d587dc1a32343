"""Pagination of tables: a typed page of rows and the links around it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhida.paging import Page

MAX_SIZE = 200


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


async def page_params(page: Annotated[int, Query(ge=1, le=1_000_000, description="页码，从 1 开始")] = 1,
                size: Annotated[int, Query(ge=1, le=MAX_SIZE, description="每页行数")] = 20) -> PageParams:
    return PageParams(page, size)


PageDep = Annotated[PageParams, Depends(page_params)]


def paginate(session: Session, stmt: Select, params: PageParams, scalars: bool = True) -> Page:
    """Run ``stmt`` for one page and count all its rows."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    result = session.execute(stmt.limit(params.size).offset(params.offset))
    items = list(result.scalars() if scalars else result.mappings())
    return Page(items=items, total=total, page=params.page, size=params.size)
