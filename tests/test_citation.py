"""Citations: one group per law, each article once, in the law's order (rightscli/citation.py)."""

from __future__ import annotations

import pytest

from rightscli.citation import article_key, group, split_articles


@pytest.mark.parametrize(
    ("article", "key"),
    [
        ("第九条", (9,)),
        ("第十条", (10,)),
        ("第十二条", (12,)),
        ("第四十八条", (48,)),
        ("第一百九十五条", (195,)),
        ("第一百零四条", (104,)),
        ("第一千一百六十五条", (1165,)),
        ("第五十五条第一款", (55, 1)),
        ("第八条第（三）项", (8, 3)),
        ("第二十四条（三）", (24, 3)),
        ("第9条第2款", (9, 2)),
        ("附件一", None),
        ("", None),
    ],
)
def test_article_key(article: str, key: tuple[int, ...] | None) -> None:
    assert article_key(article) == key


def test_articles_in_the_laws_order_each_once() -> None:
    basis = [
        {"document": "中华人民共和国消费者权益保护法", "article": "第四十八条"},
        {"document": "中华人民共和国消费者权益保护法", "article": "第五十六条"},
        {"document": "《中华人民共和国消费者权益保护法》", "article": "第五十五条、第四十八条"},
        {"document": "中华人民共和国电子商务法", "article": "第三十八条"},
        {"document": "中华人民共和国消费者权益保护法", "article": "第九条"},
    ]
    assert group(basis) == (
        "《中华人民共和国消费者权益保护法》第九条、第四十八条、第五十五条、第五十六条；《中华人民共和国电子商务法》第三十八条"
    )
    assert group(basis, short=True, article_sep=", ", law_sep="; ").startswith("《消费者权益保护法》第九条, 第四十八条")


def test_sub_articles_follow_their_article_and_unnumbered_keep_their_place() -> None:
    basis = [
        {"document": "A", "article": "附件一"},
        {"document": "A", "article": "第五十五条第二款"},
        {"document": "A", "article": "第五十五条"},
        {"document": "A", "article": "第十条"},
    ]
    assert group(basis) == "《A》第十条、第五十五条、第五十五条第二款、附件一"


def test_a_body_of_rules_in_words_and_an_article_not_found() -> None:
    basis = [
        {"document": "国家三包规定", "article": "—"},
        {"document": "某平台规则", "article": "（未查得）"},
    ]
    assert group(basis) == "国家三包规定；《某平台规则》"
    # a law cited both in words and by article is cited by its articles
    assert group([*basis[:1], {"document": "国家三包规定", "article": "第八条"}]) == "《国家三包规定》第八条"


def test_split_articles() -> None:
    assert split_articles("第十七条、第二十一条，第三条") == ["第十七条", "第二十一条", "第三条"]
    assert split_articles("—") == []
