"""Small fixtures for the employment tests: units, job and seeker rows, files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from zhida.identifiers import make_id_number, make_uscc
from zhida.registry.models import Unit

JOB_HEADERS = ["统一社会信用代码", "岗位编号", "职位名称", "职业代码", "乡镇街道", "月薪下限(元)", "月薪上限(元)",
               "学历要求", "经验要求(年)", "招聘人数", "岗位描述", "有效期至"]
SEEKER_HEADERS = ["身份证号", "姓名", "手机号", "求职意向", "意向职业代码", "可接受乡镇", "居住乡镇", "期望月薪(元)",
                  "学历", "工作年限", "技能特长", "可到岗日期", "人员类别"]
FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()


def uscc(n: int) -> str:
    return make_uscc(f"913715230{n:08d}")


def id_number(n: int) -> str:
    return make_id_number(f"37152319900101{n:03d}")


def add_units(session, n: int = 3) -> None:
    towns = ["菜屯镇", "振兴街道", "阿城镇"]
    for i in range(1, n + 1):
        session.add(Unit(uscc=uscc(i), name=f"聊城市茌平区测试{i}有限公司", township=towns[(i - 1) % 3]))
    session.flush()


def job_row(n: int, **over) -> list:
    row = {"统一社会信用代码": uscc(1), "岗位编号": f"J{n:03d}", "职位名称": "电工师傅", "职业代码": "",
           "乡镇街道": "菜屯镇", "月薪下限(元)": "4000", "月薪上限(元)": "6000", "学历要求": "高中",
           "经验要求(年)": "1", "招聘人数": "2", "岗位描述": "厂区电工维修，持电工证", "有效期至": FUTURE}
    assert set(over) <= set(row), set(over) - set(row)
    row.update(over)
    return [row[h] for h in JOB_HEADERS]


def seeker_row(n: int, **over) -> list:
    row = {"身份证号": id_number(n), "姓名": f"张{n}", "手机号": f"1380013{n:04d}", "求职意向": "电工",
           "意向职业代码": "", "可接受乡镇": "菜屯镇、振兴街道", "居住乡镇": "菜屯镇", "期望月薪(元)": "3500",
           "学历": "中专", "工作年限": "2", "技能特长": "电工维修，有低压电工证", "可到岗日期": "",
           "人员类别": "就业困难人员"}
    assert set(over) <= set(row), set(over) - set(row)
    row.update(over)
    return [row[h] for h in SEEKER_HEADERS]


def write_csv(path: Path, headers: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


def form(headers: list[str], row: list) -> dict:
    return dict(zip(headers, row, strict=False))
