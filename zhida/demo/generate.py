"""A synthetic district for demonstrations and tests (seeded, reproducible).

Everything here is made up: names, codes, premiums, headcounts and output follow a
plausible county-like mix (of the deployment's county) of industries and sizes, not any real unit. The four files are
written in the import formats, so the demo goes through the same import as real data.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from zhida.identifiers import make_uscc
from zhida.registry.regions import home_county

# (industry code, weight, word in the name, median employees)
INDUSTRIES = [
    ("C3216", 4, "铝业", 300), ("C3252", 6, "铝材", 120), ("C3311", 5, "金属结构", 60),
    ("C1311", 4, "粮油", 40), ("C2929", 4, "塑料制品", 35), ("C3484", 3, "机械配件", 45),
    ("C2631", 2, "化工", 80), ("D4411", 1, "热电", 200), ("B1011", 1, "石料", 30),
    ("E4790", 5, "建筑工程", 50), ("F5123", 8, "商贸", 8), ("F5211", 7, "超市", 12),
    ("G5430", 5, "物流运输", 25), ("G5990", 2, "仓储", 15), ("H6110", 2, "宾馆", 20),
    ("H6210", 5, "餐饮", 12), ("I6510", 3, "信息技术", 15), ("K7020", 2, "物业服务", 40),
    ("L7212", 4, "商务咨询", 8), ("A0141", 3, "农业", 10), ("M7320", 1, "检测技术", 12),
    ("O8010", 2, "家政服务", 9),
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
NAME_WORDS = ["鑫", "盛", "华", "泰", "恒", "信", "茂", "丰", "源", "达", "瑞", "祥", "宏", "昌", "隆", "德", "顺",
              "远", "博", "通", "金", "银", "海", "天", "宇", "安", "康", "润", "凯", "旺"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code(rng: random.Random) -> str:
    """A 9-character GB 11714 organisation code (8 digits + its mod-11 check)."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


@dataclass
class DemoUnit:
    uscc: str
    name: str
    unit_type: str
    industry: str
    employees: int
    revenue_wan: Decimal
    assets_wan: Decimal
    recorded_size: str
    township: str
    phone: str
    account: str


def _town(rng: random.Random, towns: list[str], fixed: str | None) -> str:
    drawn = rng.choice(towns)  # drawn either way, so the rest of the seeded sequence is unchanged
    return fixed or drawn


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def make_units(n: int, rng: random.Random) -> list[DemoUnit]:
    """``n`` units of the deployment's county (``ZHIDA_REGION_COUNTY``), each in one of its 乡镇街道."""
    county = home_county()
    area, towns, place = county.code, list(county.townships), county.name
    units: list[DemoUnit] = []
    seen: set[str] = set()
    weights = [w for _, w, _, _ in INDUSTRIES]
    while len(units) < n:
        code, _, word, median = rng.choices(INDUSTRIES, weights)[0]
        unit_type, reg = "企业", "91"
        roll = rng.random()
        if roll < 0.02:
            unit_type, reg, code, word, median = "机关事业单位", "12", "S9221", "服务中心", 30
        elif roll < 0.04:
            unit_type, reg, code, word, median = "社会团体", "51", "S9521", "协会", 5
        elif roll < 0.05:
            unit_type, reg, code, word, median = "律师事务所", "31", "L7221", "律师", 8
        uscc = make_uscc(reg + area + org_code(rng))
        if uscc in seen:
            continue
        seen.add(uscc)
        employees = max(1, int(rng.lognormvariate(0, 1.0) * median))
        if rng.random() < 0.01:
            employees *= 8  # a few large employers
        per_head = rng.uniform(15, 120) if code[0] in "BCD" else rng.uniform(8, 60)
        revenue = _money(employees * per_head)
        assets = _money(float(revenue) * rng.uniform(0.5, 2.5))
        brand = rng.choice(NAME_WORDS) + rng.choice(NAME_WORDS)
        town = None
        if unit_type == "企业":
            name = f"{county.city}{place}{brand}{word}{rng.choice(SUFFIXES)}"
        elif unit_type == "律师事务所":
            name = f"山东{brand}律师事务所"
        elif unit_type == "社会团体":
            name = f"{place}{brand}{rng.choice(['商会', '行业协会'])}"
        else:
            town = rng.choice(towns)  # a township's own centre is in that township
            name = f"{place}{town}{rng.choice(['便民服务中心', '农业综合服务中心', '卫生院'])}"
        recorded = ""
        if rng.random() < 0.35:
            from zhida.registry.sizeclass import classify_unit

            recorded = classify_unit(code, employees, revenue, assets).size_class or ""
        units.append(DemoUnit(
            uscc, name, unit_type, code, employees, revenue, assets, recorded, _town(rng, towns, town),
            "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9)),
            "".join(rng.choice("0123456789") for _ in range(rng.choice([16, 19]))) if rng.random() > 0.03 else "",
        ))
    return units


ENTERPRISE_HEADERS = ["统一社会信用代码", "单位名称", "单位类型", "行业代码", "从业人员", "营业收入(万元)",
                      "资产总额(万元)", "企业规模", "乡镇街道", "联系人", "联系电话", "开户银行", "对公账号"]
BANKS = ["中国农业银行{}支行", "中国工商银行{}支行", "中国建设银行{}支行", "{}农村商业银行", "中国银行{}支行"]


def bank_names() -> list[str]:
    """Branch names in the deployment's county (``茌平区`` → ``中国农业银行茌平支行``)."""
    short = home_county().name.rstrip("区县市") or home_county().name
    return [b.format(short) for b in BANKS]


def enterprise_rows(units: list[DemoUnit], rng: random.Random) -> list[list]:
    banks = bank_names()
    return [[u.uscc, u.name, u.unit_type, u.industry, u.employees, str(u.revenue_wan), str(u.assets_wan),
             u.recorded_size, u.township, rng.choice(SURNAMES) + rng.choice(["经理", "会计", "主任", "女士", "先生"]), u.phone,
             rng.choice(banks) if u.account else "", u.account] for u in units]


UI_HEADERS = ["统一社会信用代码", "年度", "单位实缴(元)", "个人实缴(元)", "补缴历年欠费及滞纳金(元)", "缴费月数",
              "年初参保人数", "年末参保人数", "月均参保人数", "新增领取失业保险金人数", "欠费金额(元)"]


def ui_rows(units: list[DemoUnit], rng: random.Random, years=(2024, 2025)) -> list[list]:
    """Premiums at 0.7% (unit) and 0.3% (person) of a monthly wage base of 3,500–7,000 yuan."""
    rows = []
    for u in units:
        if rng.random() < 0.06:
            continue  # not insured
        insured = max(1, int(u.employees * rng.uniform(0.6, 1.0)))
        for year in years:
            start = insured
            end = max(0, start + rng.randint(-max(1, start // 10), max(1, start // 8)))
            avg = _money((start + end) / 2 * rng.uniform(0.97, 1.03))
            months = 12 if rng.random() < 0.93 else rng.randint(3, 11)
            base = rng.uniform(3500, 7000) * float(avg) * months
            unit_paid, person_paid = _money(base * 0.007), _money(base * 0.003)
            backpay = _money(float(unit_paid) * rng.uniform(0.05, 0.2)) if rng.random() < 0.04 else Decimal(0)
            roll = rng.random()
            claimants = 0 if roll < 0.8 else (rng.randint(1, max(1, int(float(avg) * 0.05))) if roll < 0.95
                                                 else rng.randint(1, max(2, int(float(avg) * 0.3))))
            arrears = _money(rng.uniform(500, 20000)) if rng.random() < 0.02 else Decimal(0)
            rows.append([u.uscc, year, str(unit_paid), str(person_paid), str(backpay), months, start, end, str(avg),
                         claimants, str(arrears)])
            insured = max(1, end)
    return rows


CREDIT_HEADERS = ["统一社会信用代码", "名单类型", "列入日期", "移出日期"]


def credit_rows(units: list[DemoUnit], rng: random.Random) -> list[list]:
    kinds = ["严重失信主体名单", "失信被执行人", "拖欠农民工工资失信联合惩戒名单", "僵尸企业"]
    rows = []
    for u in rng.sample(units, k=max(3, len(units) // 150)):
        listed = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        removed = listed + dt.timedelta(days=rng.randint(60, 500)) if rng.random() < 0.4 else None
        rows.append([u.uscc, rng.choice(kinds), listed.isoformat(), removed.isoformat() if removed else ""])
    return rows


OUTPUT_HEADERS = ["统一社会信用代码", "年度", "季度", "工业总产值(万元)", "上年同期工业总产值(万元)", "规上"]


def output_rows(units: list[DemoUnit], rng: random.Random, years=(2025, 2026)) -> list[list]:
    """Quarterly output of industrial units; a few big firms grow fast."""
    rows = []
    for u in units:
        if u.industry[0] not in "BCD" or u.unit_type != "企业":
            continue
        quarterly = float(u.revenue_wan) / 4 * rng.uniform(0.9, 1.1)
        growth = rng.choice([rng.uniform(-0.15, 0.05), rng.uniform(0.0, 0.12), rng.uniform(0.05, 0.4)])
        for q in range(1, 5):
            seasonal = quarterly * (0.85 + 0.1 * q) * rng.uniform(0.95, 1.05)
            rows.append([u.uscc, years[0], q, str(_money(seasonal)), "", ""])
            rows.append([u.uscc, years[1], q, str(_money(seasonal * (1 + growth) * rng.uniform(0.98, 1.02))), "", ""])
    return rows


def write_csv(path: Path, headers: list[str], rows: list[list], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("单位基本信息")
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def generate(out: str | Path, units: int = 3000, seed: int = 42) -> dict[str, Path]:
    """Write the four import files for a synthetic district; return {kind: path}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    demo_units = make_units(units, rng)
    return {
        "enterprises": write_xlsx(out / "enterprises.xlsx", ENTERPRISE_HEADERS, enterprise_rows(demo_units, rng)),
        "ui-payments": write_csv(out / "ui-payments.csv", UI_HEADERS, ui_rows(demo_units, rng)),
        "credit-list": write_csv(out / "credit-list.csv", CREDIT_HEADERS, credit_rows(demo_units, rng), "gb18030"),
        "industrial-output": write_csv(out / "industrial-output.csv", OUTPUT_HEADERS, output_rows(demo_units, rng)),
    }
