"""A page of rows: the items of one page, the total count and the links around it.

Pure data, shared by the web console (``zhida.web.paging`` adds the FastAPI query parameters
and ``paginate``) and by any package's read model that returns one page of a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of one page (``page`` counted from 1, ``size`` rows a page) and the total count.

    >>> p = Page(items=[1, 2], total=41, page=2, size=20)
    >>> p.pages, p.has_next, p.has_prev
    (3, True, True)
    >>> Page(items=[], total=0, page=1, size=20).pages
    1
    """

    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        """The number of pages (at least 1, also for an empty list)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1
