"""Every benchmark still runs to the end: each one once, at its ``--smoke`` size.

Benchmarks are found by name, so one added later is covered without editing this file:
every ``bench/*_bench.py`` plus the occupation-coder benchmarks of issue targets
(``BENCHMARKS_BY_NAME``). Any other script under ``bench/`` is a tool and must be listed
as one in docs/performance.md. Each benchmark runs in its own process under this
interpreter and must exit 0 and print a Markdown table. Those that need PostgreSQL use
127.0.0.1:5432 (user postgres, database test) in a fresh schema they drop afterwards.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("ZHIDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BENCH = ROOT / "bench"
# benchmarks of issue targets whose file name does not end in _bench.py
BENCHMARKS_BY_NAME = ("jobs_coder_eval.py", "jobs_coder_speed.py")
TABLE_LINE = re.compile(r"^\|.*\|\s*$", re.MULTILINE)
TIMEOUT = 300  # seconds; a smoke run takes a few seconds, the web one ~30 s on a busy machine


def benchmarks() -> list[Path]:
    return sorted(BENCH.glob("*_bench.py")) + [BENCH / name for name in BENCHMARKS_BY_NAME]


def smoke_params() -> list:
    """One case per benchmark; those that talk to PostgreSQL also carry the ``postgres`` mark."""
    return [pytest.param(p, id=p.name, marks=[pytest.mark.postgres] if "postgresql" in p.read_text("utf-8") else [])
            for p in benchmarks()]


def tools() -> list[Path]:
    return sorted(set(BENCH.glob("*.py")) - set(benchmarks()))


@pytest.mark.slow
@pytest.mark.parametrize("script", smoke_params())
def test_benchmark_runs_at_smoke_size(script: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZHIDA_BENCH_PG_URL": PG_URL}
    proc = subprocess.run([sys.executable, str(script), "--smoke"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    report = f"{script.name} --smoke exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, report
    assert TABLE_LINE.search(proc.stdout), f"no Markdown table line in the output\n{report}"


def test_benchmarks_by_name_exist() -> None:
    assert all((BENCH / name).is_file() for name in BENCHMARKS_BY_NAME)


def test_make_bench_runs_every_benchmark() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "bench/*_bench.py" in makefile
    for name in BENCHMARKS_BY_NAME:
        assert f"bench/{name}" in makefile, f"`make bench` does not run bench/{name}"


def test_every_other_bench_script_is_a_documented_tool() -> None:
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    how_to = doc.split("\n## ", 2)[1]
    assert how_to.startswith("How to run"), "docs/performance.md must open with the “How to run” section"
    assert "--smoke" in how_to
    for tool in tools():
        assert f"bench/{tool.name}" in how_to, f"bench/{tool.name} is neither a benchmark nor a documented tool"
