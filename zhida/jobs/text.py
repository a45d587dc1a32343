"""Chinese text for the job service: cleaning free-text job titles and tokenising.

Job titles in ads carry noise around the occupation: places and shops in brackets, perks
(包吃住, 五险一金), pay (月入过万, 计件, 多劳多得), shift patterns (上六休一, 长白班), urgency
(急招, 高薪), whom the ad prefers (宝妈优先). The
cleaner removes that noise; the tokeniser is a private rjieba (jieba-rs) instance whose
dictionary learns every occupation name and alias of the taxonomy, so that 电气设备安装工
stays one token.

>>> clean_title("急招！电工师傅（包吃住，月入8000+）")
'电工师傅'
>>> clean_title("急招电焊工 包吃住 长白班"), clean_title("宝妈优先 包装工 计件 多劳多得")
('电焊工', '包装工')
>>> clean_title("药店店员(百信缘望月路店)")
'药店店员'
>>> clean_title("Java开发工程师/后端")
'java开发工程师 后端'
>>> char_ngrams("电工师傅", 2)
['电工', '工师', '师傅']
"""

from __future__ import annotations

import re
from functools import lru_cache

_BRACKETS = re.compile(r"[（(【\[{<《「][^）)】\]}>》」]*[）)】\]}>》」]?")
_NOISE_WORDS = (
    "急招|急聘|直招|高薪|诚聘|招聘|招募|聘请|热招|长期招|长期|双休|单休|包吃住|包吃|包住|管吃住|管住|"
    "包食宿|包三餐|管三餐|提供食宿|提供住宿|免费住宿|"
    "长白班|常白班|长夜班|纯白班|白班|夜班|倒班|两班倒|三班倒|不倒班|"
    "计件|按件计酬|多劳多得|多干多得|工资高|工资日结|待遇优厚|待遇好|"
    "宝妈优先|宝妈|退伍军人优先|(?:有经验|熟手|女士|男士|男性|女性)?优先|"
    r"五险一金|五险|社保|底薪|提成|年薪|月薪|周结|日结|月结|可兼职|兼职|全职|实习生|实习|应届生?|"
    r"不限经验|无经验|经验不限|可接受小白|小白|可培训|带薪培训|男女不限|男女|多名|若干|数名|名额|"
    r"朝九晚五|上[一二三四五六七八九十\d]+休[一二三四五六七八九十\d]+|做[一二三四五六七八九十\d]+休[一二三四五六七八九十\d]+|"
    r"月入[\d\.一二三四五六七八九十百千万wWkK+]+|[\d\.]+[kKwW千万]?[-~到至][\d\.]+[kKwW千万元]?|[\d\.]+[kKwW千万]\+?|"
    r"\d+元?\+?|(?<![\u4e00-\u9fff])(?:资深|高级|中级|初级|见习|储备|优秀|金牌)(?!中学)"
)
_NOISE = re.compile(_NOISE_WORDS)
_SEPARATORS = re.compile(r"[/\\|｜、,，;；+＋&＆\-—_~·•.。!！?？:：\s]+")
_NON_WORD = re.compile(r"[^\w\u4e00-\u9fff ]+")


def clean_title(title: str) -> str:
    """Strip brackets, perks, pay and urgency words; split alternatives by spaces."""
    text = str(title or "").strip().lower()
    text = _BRACKETS.sub(" ", text)
    text = _NOISE.sub(" ", text)
    text = _SEPARATORS.sub(" ", text)
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def char_ngrams(text: str, n: int) -> list[str]:
    """Character n-grams inside each space-separated piece (never across a space)."""
    out: list[str] = []
    for piece in text.split():
        if len(piece) < n:
            continue
        out.extend(piece[i : i + n] for i in range(len(piece) - n + 1))
    return out


@lru_cache(maxsize=1)
def tokenizer():
    """A private rjieba instance whose dictionary knows every occupation name and alias."""
    import rjieba

    from zhida.jobs.taxonomy import load_taxonomy

    jb = rjieba.Jieba()
    for occ in load_taxonomy().occupations:
        for word in (occ.name, *occ.aliases):
            word = word.strip().lower()
            if 2 <= len(word) <= 12 and " " not in word and "/" not in word:
                jb.add_word(word, None, None)
    return jb


def words(text: str) -> list[str]:
    """Word tokens of already-cleaned text (single characters dropped unless Chinese)."""
    jb = tokenizer()
    out: list[str] = []
    for piece in text.split():
        out.extend(w for w in jb.cut(piece, False) if w.strip())
    return out
