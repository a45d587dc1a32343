"""Bank return files as banks write them: status words, thousands separators, title and summary
lines, GBK, extra columns — read through the imports' reader and normaliser."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Transfer
from zhida.errors import ImportRefused

from .flow import new_cycle
from .helpers import OPERATOR

CASES = Path(__file__).parents[1] / "imports" / "data" / "fieldcases"


def exported(engine, tmp_path) -> tuple[int, list[dict]]:
    cid, _ = new_cycle(engine, n=12, to="发放中")
    batch = service.export(engine, OPERATOR, cid, tmp_path / "bank").batches[0]
    with open(batch.file_csv, encoding="utf-8-sig") as fh:
        return cid, list(csv.DictReader(fh))


def from_fieldcase(name: str, lines: list[dict], out: Path, encoding="utf-8-sig", head="", tail="") -> Path:
    """The fieldcase's rows with this batch's references and amounts (as the bank formats them)."""
    rows = list(csv.reader((CASES / name).read_text(encoding="utf-8-sig").splitlines()))
    body = [rows[0]]
    for row, line in zip(rows[1:], lines, strict=False):
        row = dict(zip(rows[0], row, strict=False))
        row["业务参考号"] = line["业务参考号"]
        if "金额" in row:
            row["金额"] = f"{int(line['金额'].replace('.', '')) / 100:,.2f}"
        body.append([row[h] for h in rows[0]])
    text = head + "\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in body) + "\n" + tail
    out.write_bytes(text.encode(encoding))
    return out


def statuses(engine, cid) -> dict[str, str]:
    with session_scope(engine) as s:
        return dict(s.execute(select(Transfer.ref, Transfer.status)).all())


def test_bank_status_words(engine, tmp_path):
    cid, lines = exported(engine, tmp_path)
    path = from_fieldcase("c14a_return_bank_status_words.csv", lines, tmp_path / "r.csv")
    with session_scope(engine) as s:
        r = service.import_return(s, OPERATOR, cid, path)
    assert (r.paid, r.failed) == (4, 1)
    got = statuses(engine, cid)
    refs = [line["业务参考号"] for line in lines[:5]]
    assert [got[x] for x in refs] == ["成功", "成功", "失败", "成功", "成功"]


def test_thousands_separators_title_summary_gbk_extra_columns(engine, tmp_path):
    cid, lines = exported(engine, tmp_path)
    head = "批量代发交易结果明细\n总笔数：5,,,\n\n"
    tail = "总金额：略,,,\n"
    path = from_fieldcase("c14b_return_amount_thousands.csv", lines, tmp_path / "r.csv", "gbk", head, tail)
    with session_scope(engine) as s:
        r = service.import_return(s, OPERATOR, cid, path)
    assert (r.paid, r.failed) == (5, 0)
    assert r.paid_fen == sum(int(line["金额"].replace(".", "")) for line in lines[:5])


def test_an_amount_that_truly_differs_names_both_figures(engine, tmp_path):
    cid, lines = exported(engine, tmp_path)
    wrong = [{**lines[0], "金额": "1000000.00"}, *lines[1:]]
    path = from_fieldcase("c14b_return_amount_thousands.csv", wrong, tmp_path / "r.csv")
    with session_scope(engine) as s, pytest.raises(ImportRefused) as err:
        service.import_return(s, OPERATOR, cid, path)
    e = err.value.errors[0]
    assert e.row == 2 and e.column == "金额"
    expected = int(lines[0]["金额"].replace(".", "")) / 100
    assert e.expected == f"银行回盘金额 1,000,000.00 元与导出金额 {expected:,.2f} 元不符"
