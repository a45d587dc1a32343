"""Read an uploaded file once in a child process with a memory cap (上传文件的隔离预读).

The web server parses uploads here first: a file that would take the memory of the process
(a zip bomb, a sheet with millions of cells) kills only the child, and the clerk is told why.
``python -m zhida.imports.probe KIND FILE [SHEET]`` exits 0 (readable), 2 (refused: the
errors as JSON on stdout) or dies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from zhida.errors import ImportRefused, RowError

TOO_BIG = "文件过大或结构异常，读取时超出了内存或时间上限：请删除多余的行、列和工作表，或拆分后再导入"


def _limit_memory(mb: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb * 1024 * 1024, mb * 1024 * 1024))

    return apply


def probe_file(kind: str, path: Path, sheet: str | None, memory_mb: int, display_name: str,
               timeout: float = 300) -> None:
    """Raise ``ImportRefused`` when the child cannot read ``path`` within ``memory_mb``."""
    if memory_mb <= 0:
        return
    args = [sys.executable, "-m", "zhida.imports.probe", kind, str(path)] + ([sheet] if sheet else [])
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, preexec_fn=_limit_memory(memory_mb))
    except subprocess.TimeoutExpired:
        raise ImportRefused(f"{display_name}：{TOO_BIG}", [RowError(display_name, None, None, None, TOO_BIG)]) from None
    if done.returncode == 0:
        return
    if done.returncode == 2:
        try:
            errors = [RowError(**{**e, "file": display_name}) for e in json.loads(done.stdout)]
        except (ValueError, TypeError):
            errors = []
        if errors:
            raise ImportRefused(f"{display_name} 未导入：" + "；".join(e.expected for e in errors[:3]), errors)
    raise ImportRefused(f"{display_name}：{TOO_BIG}", [RowError(display_name, None, None, None, TOO_BIG)])


def main(argv: list[str]) -> int:
    from zhida.imports import reader, validate
    from zhida.imports.spec import get_kind

    kind, path = argv[0], Path(argv[1])
    try:
        reader.read_table(path, validate.header_spec(get_kind(kind)), argv[2] if len(argv) > 2 else None)
    except ImportRefused as exc:
        print(json.dumps([asdict(e) for e in exc.errors[:200]], ensure_ascii=False))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
