"""Start the console with uvicorn (``zhida serve`` and the demo call this)."""

from __future__ import annotations


def serve(host: str, port: int, workers: int = 1, reload: bool = False) -> None:
    import uvicorn

    uvicorn.run("zhida.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                reload=reload, log_level="warning", access_log=False, proxy_headers=False)
