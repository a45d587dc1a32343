"""Seeded demo data of the loans programme: people, applications, LPR, bank files.

Deterministic (``random.Random(SEED)``): about 460 loans disbursed from January 2025 to
October 2026 by three banks, mostly individuals of the target groups, a few partnerships
and small enterprises; about 4% stop paying (some long enough for 代偿); a few repay early.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from zhida.identifiers import make_id_number
from zhida.loans.applications import ApplicationIn, PersonIn

SEED = 14
DEMO_DAY = dt.date(2026, 11, 30)
BANKS = [("NSYH", "茌平农商银行", "9101000011223344", "13963500001"),
         ("YCYH", "邮储银行茌平支行", "9101000055667788", "13963500002"),
         ("JSYH", "建设银行茌平支行", "9101000099001122", "13963500003")]
TOWNS = ["振兴街道", "信发街道", "温陈街道", "乐平铺镇", "冯官屯镇", "菜屯镇", "博平镇", "杜郎口镇", "韩屯镇", "胡屯镇",
         "肖家庄镇", "贾寨镇", "洪官屯镇"]
GROUPS = [("返乡创业农民工", 30), ("农村自主创业农民", 20), ("高校毕业生", 14), ("城镇登记失业人员", 10), ("退役军人", 8),
          ("就业困难人员", 6), ("网络商户", 6), ("脱贫人口", 4), ("刑满释放人员", 1), ("化解过剩产能企业职工和失业人员", 1)]
PROJECTS = ["农家乐", "电商直播", "烧饼店", "农机维修", "肉鸡养殖", "蔬菜大棚", "快递驿站", "汽修店", "服装加工", "家政服务",
            "面点坊", "民宿", "水果超市", "五金建材", "木器加工", "粮食收储"]
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕鹏辉宇晨浩然欣怡子涵梓轩雨桐"
LPR = [(dt.date(2024, 1, 22), "3.45%", "4.20%"), (dt.date(2024, 2, 20), "3.45%", "3.95%"),
       (dt.date(2024, 7, 22), "3.35%", "3.85%"), (dt.date(2024, 10, 21), "3.10%", "3.60%"),
       (dt.date(2025, 5, 20), "3.00%", "3.50%")]


@dataclass
class Case:
    """One demo application and what happens to it."""

    data: ApplicationIn
    disburse_on: dt.date
    people: list[PersonIn] = field(default_factory=list)
    stop_after: int | None = None  # the borrower pays this many periods, then stops
    early_on: dt.date | None = None  # repaid in full on this day


def _name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _person(rnd: random.Random, serial: int, day: dt.date) -> PersonIn:
    group = rnd.choices([g for g, _ in GROUPS], [w for _, w in GROUPS])[0]
    young = group in ("高校毕业生", "网络商户")
    birth = dt.date(rnd.randint(1996, 2002) if young else rnd.randint(1972, 1995), rnd.randint(1, 12), rnd.randint(1, 28))
    sex_digit = rnd.choice("13579") if rnd.random() < 0.62 else rnd.choice("02468")
    number = make_id_number(f"371523{birth:%Y%m%d}{serial % 100:02d}{sex_digit}")
    grad = dt.date(rnd.randint(day.year - 4, day.year - 1), 7, 1) if group == "高校毕业生" else None
    return PersonIn(_name(rnd), number, f"139{rnd.randint(10**7, 10**8 - 1)}", "山东省聊城市茌平区", rnd.choice(TOWNS),
                    group, f"{group[:2]}证明-{serial:05d}", grad,
                    make_id_number(f"371523{birth.year + 1}0{rnd.randint(1, 9)}1{rnd.randint(0, 9)}{serial % 100:02d}2")
                    if rnd.random() < 0.5 else None)


def _day(rnd: random.Random, year: int, last_month: int) -> dt.date:
    return dt.date(year, rnd.randint(1, last_month), rnd.randint(1, 28))


def cases(enterprises: list[tuple[str, int]]) -> list[Case]:
    """The demo applications: ~240 in 2025 and ~225 up to November 2026, in submission order."""
    rnd, out = random.Random(SEED), list[Case]()
    for year, count, last in ((2025, 242, 12), (2026, 226, 11)):
        for _ in range(count):
            day = _day(rnd, year, last)
            serial = len(out) + 1
            bank = rnd.choices([b[0] for b in BANKS], [5, 3, 2])[0]
            rate = rnd.choice(["3.85%", "3.95%", "4.00%", "3.65%"]) if day >= dt.date(2025, 5, 20) else rnd.choice(
                ["3.95%", "3.85%", "4.00%"])
            months = rnd.choice([24, 36, 36, 36])
            kind = rnd.choices(["个人", "合伙", "小微企业"], [90, 5, 5])[0]
            data = ApplicationIn(kind="个人", bank_code=bank, amount=str(rnd.choice([100000, 150000, 200000, 300000, 300000,
                                                                                      300000, 250000])), months=months,
                                 rate=rate, project=rnd.choice(PROJECTS), channel=rnd.choice(["网上", "窗口", "窗口"]),
                                 submitted_on=day, jobs_created=rnd.randint(1, 6),
                                 repayment=rnd.choice(["interest-quarterly"] * 4 + ["equal-instalments"]))
            case = Case(data, day + dt.timedelta(days=rnd.randint(10, 25)))
            if kind == "合伙":
                partners = [_person(rnd, serial * 10 + i, day) for i in range(2)]
                data.kind, data.partners, data.amount = "合伙", partners, str(rnd.choice([400000, 500000, 600000]))
                case.people = partners
            elif kind == "小微企业" and enterprises:
                uscc, staff = enterprises[len(out) % len(enterprises)]
                data.kind, data.uscc, data.staff_count, data.months = "小微企业", uscc, staff, 24
                data.new_hires_12m, data.amount = max(1, -(-staff // 10)), str(rnd.choice([500000, 1000000, 2000000]))
            else:
                data.person = _person(rnd, serial, day)
                case.people = [data.person]
            data.township = (case.people[0].township if case.people else rnd.choice(TOWNS))
            r = rnd.random()
            case.stop_after = rnd.randint(0, 2) if r < 0.045 else None
            case.early_on = case.disburse_on + dt.timedelta(days=rnd.randint(200, 400)) if 0.045 <= r < 0.08 else None
            out.append(case)
    return out


def write_csv(path: Path, headers: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path
