"""Dependencies of the loans pages: reads on the request's one read connection.

The console's ``ReadDep`` connection (autocommit) is the one the login check already holds
for the request; binding a read-only ``Session`` to it keeps every read request of the loans
pages to one pooled connection (``SessionDep`` would take a second one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from zhida.web.deps import ReadDep


async def read_session(read: ReadDep) -> AsyncIterator[Session]:
    with Session(bind=read, autoflush=False) as session:
        yield session


ReadSessionDep = Annotated[Session, Depends(read_session)]
