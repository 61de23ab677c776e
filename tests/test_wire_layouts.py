"""Wire pages as scraped in many layouts: the lead-in is found behind any page furniture
(headlines ending in "?" or "!", bylines, captions, separators), and not in plain prose."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.seeds.parsing import parse_seed
from storage.seeds.records import ParsedArticle

NOW = datetime(2026, 11, 27, tzinfo=UTC)
STORY = "The envoy met both delegations on Monday. Talks resume next week."


def parse(text: str) -> ParsedArticle:
    result = parse_seed(text.encode("utf-8"), now=NOW)
    assert isinstance(result, ParsedArticle), result
    return result


LAYOUTS = {
    "related headlines ending in ? and !": [
        "World Video",
        "Latest Syria News",
        "Will the talks survive the winter?",
        "Rebels vow to fight on!",
        "Is this the end of the ceasefire?",
    ],
    "byline and photo caption": [
        "By JOHN DOE and JANE ROE, Associated Press",
        "FILE - In this Dec. 2, 2017 photo, a man walks past rubble in Idlib, Syria. The city was "
        "shelled again on Monday. (AP Photo/Hassan Ammar, File)",
    ],
    "separators between navigation lines": [
        "World Video",
        "___",
        "Latest Syria News",
        "* * *",
        "Buy AP Photo Reprints",
        "Advertisement",
    ],
    "many navigation lines": [f"Related story number {i}: a headline" for i in range(30)],
    "headlines with quotes and abbreviations": [
        'U.N. envoy: "We will not give up"',
        "U.S. and Russia trade blame over the talks",
        "What's next for the opposition?",
        "Talks stall in the U.S.",
    ],
    "Reuters lead-in with a photo credit": [
        "Politics",
        "Reuters staff",
        "Delegates arrive for talks. REUTERS/Denis Balibouse",
        "Photo: a delegate at the table",
    ],
    "AFP with a byline": ["From our correspondent", "By Marie Dupont"],
}
LEADS = {
    "Reuters lead-in with a photo credit": ("GENEVA (Reuters) - ", "Reuters"),
    "AFP with a byline": ("PARIS (AFP) — ", "Agence France-Presse"),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_lead_in_is_found_behind_page_furniture(layout: str) -> None:
    lead, source = LEADS.get(layout, ("GENEVA (AP) -- ", "The Associated Press"))
    page = "\n".join(
        [
            "Dec 14, 8:20 AM EST",
            "UN envoy urges both sides to return to the table",
            *LAYOUTS[layout],
            lead + STORY,
            "",
            "A second paragraph of the story.",
            "",
            "___",
            "",
            "Associated Press writer Jane Roe in Beirut contributed to this report.",
            "© 2017 The Associated Press. All rights reserved.",
        ]
    )
    article = parse(page)
    assert article.title == "UN envoy urges both sides to return to the table"
    assert article.dateline in ("GENEVA", "PARIS")
    assert article.source == source
    assert article.paragraphs[0] == STORY
    assert article.paragraphs[1] == "A second paragraph of the story."
    # Nothing of the furniture became story text.
    assert not any(line in article.paragraphs for line in LAYOUTS[layout])
    if layout == "related headlines ending in ? and !":
        assert article.section == "World" and article.topics == ("Syria",)


@pytest.mark.parametrize(
    "prose",
    [
        "First paragraph of prose.",
        "He said the talks would go on. Nobody believed him!",
        "Officials met on Monday and agreed on very little, according to people who were there "
        "and who spoke on condition of anonymity because they were not allowed to talk about it",
        "Will the talks survive? Few think so.",
    ],
)
def test_a_plain_article_quoting_a_wire_story_is_not_cut(prose: str) -> None:
    article = parse(f"Title\n\n{prose}\n\nLONDON (Reuters) - Quoted later.\n")
    assert article.source is None and article.dateline is None
    assert article.paragraphs == (prose, "LONDON (Reuters) - Quoted later.")
