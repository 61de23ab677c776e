"""Word filters and followed words match articles as a reader would expect, typos forgiven."""

from __future__ import annotations

from bot.search.wordmatch import ArticleWords, WordFilter, parse_filter, passes

STORY = ArticleWords(
    "Elections in Zürich: the Green party wins. Football fans stayed home as turnout fell."
)


def test_parse_filter_splits_required_and_excluded_words() -> None:
    wanted = parse_filter(["+Election", "-football", "climate change", "+election"])
    assert wanted == WordFilter(require=("election", "climate change"), exclude=("football",))
    assert not parse_filter(["+", "-", " "])


def test_required_words_match_with_typos_and_accents() -> None:
    assert passes(parse_filter(["+electons"]), STORY)  # one typo in a 9-letter word
    assert passes(parse_filter(["+zurich"]), STORY)  # accents folded
    assert not passes(parse_filter(["+budget"]), STORY)


def test_excluded_words_win_over_required_ones() -> None:
    assert not passes(parse_filter(["+election", "-footbal"]), STORY)
    assert passes(parse_filter(["+election", "-cricket"]), STORY)


def test_short_words_get_no_typo_allowance() -> None:
    assert not passes(parse_filter(["+gren"]), STORY)  # 'green' is not 'gren' (4 letters: exact)
    assert passes(parse_filter(["+green"]), STORY)


def test_a_phrase_needs_each_of_its_words() -> None:
    assert passes(parse_filter(["green party"]), STORY)
    assert not passes(parse_filter(["green budget"]), STORY)
    assert STORY.matching(["party", "budget", "turnout"]) == ["party", "turnout"]


def test_a_huge_article_is_read_in_one_pass() -> None:
    huge = ArticleWords("word " * 200_000 + "election")
    assert huge.has("elections")
