"""Citations written the one way every output writes them: one group per law, in the order the laws first appear,
each article once and in the law's own order (《消费者权益保护法》第四十八条、第五十五条、第五十六条；《…》第二十五条).

Shared by the terminal views, the letters, the 12315 form and the bundle, so that the same findings cite the same
words everywhere. Pure: no catalogue, no terminal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

__all__ = ["article_key", "group", "split_articles"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# 第一百九十五条, 第八条第（三）项, 第9条第2款: each level's number, in order
_LEVEL = re.compile(
    r"第[（(]?([零〇一二两三四五六七八九十百千\d]+)[)）]?[编章节条款项目]|[（(]([零〇一二两三四五六七八九十百千\d]+)[)）]"
)
_NO_ARTICLE = ("—", "-", "–")


def _number(text: str) -> int | None:
    """一百九十五 → 195, 十二 → 12, 48 → 48; None for anything else."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


@functools.lru_cache(maxsize=4096)  # the catalogue's articles, a few hundred: a batch cites them in every letter
def article_key(article: str) -> tuple[int, ...] | None:
    """第五十五条第一款 → (55, 1); None when the text names no numbered article (then it keeps its place)."""
    numbers = [_number(a or b) for a, b in _LEVEL.findall(article)]
    if not numbers or any(n is None for n in numbers):
        return None
    return tuple(n for n in numbers if n is not None)


def split_articles(article: str) -> list[str]:
    """第十七条、第二十一条 → [第十七条, 第二十一条] (a source's article may list several)."""
    parts = [a.strip() for a in article.replace("，", "、").split("、")] if article else []
    return [a for a in parts if a and a not in _NO_ARTICLE]


def _in_order(articles: list[str]) -> list[str]:
    """Numbered articles in the law's order; an article with no number (附件一) keeps its place after them."""
    keys = [article_key(a) for a in articles]
    numbered = sorted((key, i) for i, key in enumerate(keys) if key is not None)
    return [articles[i] for _, i in numbered] + [a for a, key in zip(articles, keys, strict=True) if key is None]


def short_document(document: str) -> str:
    return document.removeprefix("中华人民共和国")


def group(
    basis: Iterable[Mapping[str, str]], *, article_sep: str = "、", law_sep: str = "；", short: bool = False
) -> str:
    """[{document, article}, …] → '《A》第一条、第二条；《B》第三条'.

    An article given in brackets (e.g. "（未查得）": the rule names no article) is left out and the document cited
    alone; an article "—" names a body of rules in words (国家三包规定), written without 书名号. ``short`` drops the
    中华人民共和国 prefix of statute names (for a form where space is short).
    """
    sources = tuple((source["document"], source.get("article") or "") for source in basis)
    return _group(sources, article_sep, law_sep, short)


@functools.lru_cache(maxsize=2048)  # a batch cites the same few rules in letter after letter
def _group(sources: tuple[tuple[str, str], ...], article_sep: str, law_sep: str, short: bool) -> str:
    groups: dict[str, list[str]] = {}
    plain: set[str] = set()
    for document, article in sources:
        document = document.strip("《》 ")
        if short:
            document = short_document(document)
        articles = groups.setdefault(document, [])
        article = article.strip()
        if article in _NO_ARTICLE:
            plain.add(document)
            continue
        if article.startswith(("（", "(")):
            continue
        for part in split_articles(article):
            if part not in articles:
                articles.append(part)
    out = []
    for document, articles in groups.items():
        if document in plain and not articles:
            out.append(document)
        else:
            out.append(f"《{document}》" + article_sep.join(_in_order(articles)))
    return law_sep.join(out)
