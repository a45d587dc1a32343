"""Speed of occupation coding in batch: 100,000 ad titles, repetitive and all distinct.

    .venv/bin/python bench/jobs_coder_speed.py [--titles 100000] [--seed 11] [--workers 0]
    .venv/bin/python bench/jobs_coder_speed.py --smoke    # 500 titles, 2 processes

Two sets of titles, each coded by a fresh coder (empty cache) through ``code_many``:

* **repetitive** — the synthetic market's job titles (zhida/jobs/synthetic.py: labelled
  colloquial titles decorated as ads); many clean to the same text and are scored once;
* **all distinct** — labelled colloquial titles combined with qualifiers that stay in the
  text the coder sees (place, employer kind, product, level after a word, shift), drawn
  with a seed until every title is distinct *after the coder's own cleaning* (checked).

The distinct set is coded with one process and with every core (``--workers 0``: all
cores; other values fix the count), and checked to give the same codes both ways. The
load average is printed: the machine may be shared, so figures are upper bounds.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from zhida.jobs.coder import OccupationCoder, training_rows
from zhida.jobs.synthetic import make_market
from zhida.jobs.taxonomy import load_taxonomy, load_testcases
from zhida.jobs.text import clean_title

PLACES = ("", "", "茌平", "阳谷", "聊城", "博平", "振兴街道", "温陈", "乐平铺", "冯官屯", "菜屯", "杜郎口",
          "狮子楼", "石佛", "阎楼", "安乐镇", "开发区", "高新区", "东昌府", "城区")
EMPLOYERS = ("", "", "化工厂", "纺织厂", "铝业公司", "物流园", "超市", "酒店", "饭店", "医院", "学校", "幼儿园",
             "汽修厂", "4s店", "电商公司", "建筑公司", "物业公司", "门店", "车间", "工地", "养殖场", "合作社")
PRODUCTS = ("", "", "", "轴承", "钢管", "电缆", "棉纺", "食品", "汽配", "铝材", "板材", "服装", "家具", "肉鸡",
            "蔬菜", "光伏", "锂电", "包装", "印刷", "水泥", "化肥", "塑料")
LEVELS = ("", "", "", "初级", "中级", "高级", "资深", "熟练", "一线", "带班")
SHIFTS = ("", "", "", " 夜班", " 白班", " 长白班", " 倒班", " 两班倒", " 三班倒", " 周末班", " 临时工", " 季节工")
SEPARATORS = ("", "", " ", "·", "/")


def distinct_titles(n: int, seed: int) -> list[str]:
    """``n`` ad-like titles, all different after ``clean_title``; deterministic for a seed."""
    rng = random.Random(seed)
    base = [title for _, title, _ in load_testcases()]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        prefix = rng.choice(PLACES) + rng.choice(EMPLOYERS) + rng.choice(PRODUCTS)
        level = rng.choice(LEVELS) if prefix else ""
        title = prefix + rng.choice(SEPARATORS) + level + rng.choice(base) + rng.choice(SHIFTS)
        key = clean_title(title)
        if key and key not in seen:
            seen.add(key)
            out.append(title)
    return out


def timed(fn):
    """(result, wall seconds); the CPU seconds of this process are kept in ``CPU[-1]``."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    CPU.append(time.process_time() - c0)
    return out, time.perf_counter() - t0


CPU: list[float] = []


def load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def fresh() -> OccupationCoder:
    return OccupationCoder(load_taxonomy(), training_rows())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--titles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--smoke", action="store_true", help="tiny size (500 titles, 2 processes): checks it runs")
    args = ap.parse_args()
    if args.smoke:
        args.titles, args.workers = 500, 2
    workers = args.workers or os.cpu_count() or 1
    rows = []
    print(f"{os.cpu_count()} cores; {load()}", flush=True)

    jobs = make_market(args.titles, 0, code_jobs=False)[0]
    repetitive = [j.title for j in jobs]
    n_rep = len({clean_title(t) for t in repetitive})
    _, t = timed(lambda: fresh().best_many(repetitive))
    rows.append((f"{len(repetitive):,} market titles ({n_rep:,} distinct after cleaning), code_many", t, CPU[-1]))
    print(rows[-1], load(), flush=True)

    titles, t_gen = timed(lambda: distinct_titles(args.titles, args.seed))
    assert len({clean_title(x) for x in titles}) == len(titles)
    print(f"generated {len(titles):,} titles distinct after cleaning in {t_gen:.1f} s, e.g. {titles[:3]}", flush=True)
    one, t = timed(lambda: fresh().code_many(titles, 5, workers=1))
    rows.append((f"{len(titles):,} all-distinct titles, code_many, 1 process", t, CPU[-1]))
    print(rows[-1], load(), flush=True)
    many, t = timed(lambda: fresh().code_many(titles, 5, workers=workers))
    rows.append((f"{len(titles):,} all-distinct titles, code_many, {workers} processes", t, None))
    print(rows[-1], load(), flush=True)
    assert one == many, "results differ between one and several processes"

    sample = random.Random(args.seed).sample(titles, min(2000, len(titles)))
    coder = fresh()
    _, t = timed(lambda: [coder.code(x, 5) for x in sample])
    scale = len(titles) / len(sample)
    rows.append((f"{len(titles):,} all-distinct titles title by title (`code`, from {len(sample):,})", t * scale,
                 CPU[-1] * scale))

    print(f"\n{load()}\n\n| titles | wall s | CPU s of the process | target |\n|---|---:|---:|---:|")
    for label, secs, cpu in rows:
        print(f"| {label} | {secs:.1f} | {'—' if cpu is None else f'{cpu:.1f}'} | ≤ 30 s |")


if __name__ == "__main__":
    main()
