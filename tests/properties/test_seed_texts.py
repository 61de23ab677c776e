"""Seed texts built to make a backtracking pattern slow, about 1 MB each: the parse finishes
(every pattern in storage/seeds is bounded or anchored, so each text pass is linear; the times
are in bench/pathological.py) and reads them as it reads their short forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering.seed_reasons import english
from storage.seeds.parsing import parse_seed
from storage.seeds.records import ParsedArticle, Rejection

NOW = datetime(2026, 11, 27, tzinfo=UTC)
BIG = 1_000_000

# Where a long run can sit: right after the start of each kind of line the parser looks at.
PREFIXES = [
    "Dec 14, 8:20",  # the date line (the 12 s freeze: adjacent optional spaces)
    "Dec 14, 8:20 AM",
    "Dec. 14, 2017, 8:20",
    "GENEVA",  # a lead-in: "GENEVA (AP) -- "
    "GENEVA (AP)",
    "© 2017 The Associated Press",  # the copyright line and its holder
    "©",
    "Copyright",
    "© 2016",
    "World",  # "World Video", "Latest Syria News"
    "Latest",
    "Will the talks survive",
]
SPACES = [" ", "\t", " \t"]
ENDS = ["!", "x", "(", "Video", "News", "-- ", "(AP x", ".", "", "All rights reserved"]


def page(first: str, second: str) -> str:
    """A wire-like page around the two lines under attack."""
    return (
        f"{first}\nA title for the page\n\n{second}\n\n"
        "GENEVA (AP) -- The envoy spoke on Monday. He said more.\n\n"
        "© 2017 The Associated Press. All rights reserved.\n"
    )


def parsed_the_same(big: ParsedArticle | Rejection, small: ParsedArticle | Rejection) -> bool:
    if isinstance(big, Rejection) or isinstance(small, Rejection):
        return type(big) is type(small)
    return big == small


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    space=st.sampled_from(SPACES),
    end=st.sampled_from(ENDS),
    where=st.sampled_from(["first", "second"]),
)
def test_a_megabyte_of_whitespace_reads_as_one_space(
    prefix: str, space: str, end: str, where: str
) -> None:
    def text(run: str) -> str:
        line = prefix + run + end
        return page(line, "World Video") if where == "first" else page("Dec 14, 8:20", line)

    big = parse_seed(text(space * (BIG // len(space))).encode(), now=NOW)
    small = parse_seed(text(" ").encode(), now=NOW)
    if isinstance(big, Rejection):
        assert len(english(big)) < 300
    assert parsed_the_same(big, small), (big, small)


# Runs of other characters that patterns retry on: sentence ends, quotes, parentheses,
# entities, abbreviations, digits.
RUNS = ["A. ", '!"', "((", "&#1", "&amp", "1", ". ", "-", "— ", ",", "'", ")"]


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=40, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), run=st.sampled_from(RUNS), end=st.sampled_from(ENDS))
def test_a_megabyte_of_any_repeated_piece_is_parsed(prefix: str, run: str, end: str) -> None:
    line = prefix + run * (BIG // len(run)) + end
    for text in (page(line, "World Video"), page("Dec 14, 8:20", line), line):
        result = parse_seed(text.encode(), now=NOW)
        assert isinstance(result, ParsedArticle | Rejection)
        if isinstance(result, Rejection):  # one short line for the admin, not the megabyte
            assert len(english(result)) < 300 and "\n" not in english(result)
        if isinstance(result, ParsedArticle):
            # Nothing was lost or invented: the body is the text's own words.
            assert all(len(p) <= len(text) for p in result.paragraphs)
            assert result.title in " ".join(text.split())
