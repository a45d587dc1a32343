"""Consistency of the labelled titles (``data/testcases.csv``): labels that contradict the title.

Some labels were evidently given by shared characters, not by meaning: 白班育儿嫂 labelled
种子繁育员 (5-01-01-01) shares only 育 with it. The check flags a training row when

* its label is a 细类 (a specific occupation, not a group ending in ``-00``),
* the title shares at least one character but no two-character sequence with the label's
  name and aliases (a coincidence of characters, not of words), and
* the coder built from the taxonomy alone (no labelled titles) puts the title in another
  大类 than the label.

Each flagged row was then read by a person and either corrected, dropped or kept as plausible;
the corrections and drops are ``data/label-fixes.csv`` (listed in ``data/README.md``), applied
to the training rows only — the odd (reporting) rows are never touched.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from zhida.jobs.taxonomy import DATA_DIR, Taxonomy, load_taxonomy
from zhida.jobs.text import char_ngrams, clean_title

FIXES_FILE = DATA_DIR / "label-fixes.csv"


@dataclass(frozen=True)
class Suspect:
    line: int
    title: str
    code: str
    name: str
    coder_code: str  # the taxonomy-only coder's best code
    coder_name: str


def coincidental(title: str, words: list[str]) -> bool:
    """Whether ``title`` shares characters but no two-character sequence with any of ``words``.

    >>> coincidental("白班育儿嫂", ["种子繁育员"]), coincidental("电焊工", ["焊工", "电焊工"])
    (True, False)
    """
    text = clean_title(title).replace(" ", "")
    grams = set(char_ngrams(text, 2))
    if any(grams & set(char_ngrams(w, 2)) for w in words):
        return False
    return bool(set(text) & set("".join(words)))


def suspect_labels(rows: list[tuple[int, str, str]], taxonomy: Taxonomy | None = None) -> list[Suspect]:
    """The rows (file line, title, code) whose label contradicts the title, in file order."""
    from zhida.jobs.coder import OccupationCoder

    taxonomy = taxonomy or load_taxonomy()
    by_code = {o.code: o for o in taxonomy.occupations}
    candidates = [(line, t, c) for line, t, c in rows
                  if c in by_code and not c.endswith("-00") and coincidental(t, [by_code[c].name, *by_code[c].aliases])]
    bare = OccupationCoder(taxonomy, [])
    best = bare.code_many([t for _, t, _ in candidates], top=1) if candidates else []
    return [Suspect(line, t, c, by_code[c].name, top[0].code, top[0].name)
            for (line, t, c), top in zip(candidates, best, strict=False) if top and top[0].code[0] != c[0]]


@lru_cache(maxsize=1)
def label_fixes() -> dict[int, str | None]:
    """File line → corrected code, or ``None`` for a row dropped from training."""
    with open(FIXES_FILE, encoding="utf-8", newline="") as fh:
        return {int(r["line"]): (r["fixed_code"] or None) for r in csv.DictReader(fh)}


def apply_fixes(rows: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    """Training rows (line, title, code) → (title, code) with the reviewed fixes applied."""
    fixes = label_fixes()
    out = []
    for line, title, code in rows:
        if line in fixes:
            fixed = fixes[line]
            if fixed is None:
                continue
            code = fixed
        out.append((title, code))
    return out
