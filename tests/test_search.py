"""Search: typo budgets, prefixes, ranking, query syntax taken as text, and snippets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import ENGLISH
from bot.rendering.cards import no_results
from bot.search.ranking import Candidate, plan_query, rank, rarities
from bot.search.service import MAX_QUERY_CHARS, SearchService, clip_query
from bot.search.snippets import sentences, snippet
from bot.search.text import fold, has_word, typo_budget, words
from bot.search.vocabulary import Vocabulary
from storage.database import Database
from storage.seeds.loader import load_seeds
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 27, tzinfo=UTC)

CORPUS = [
    ("Putin visits Syrian air base", "Vladimir Putin declared victory in Syria.", "2017-12-11"),
    ("Parliament debates the budget", "Members argued about taxes and spending.", "2017-12-12"),
    ("Elections in Germany", "Merkel's party won the largest share of the vote.", "2017-09-25"),
    ("Zürich bank scandal", "A Zurich bank admitted to hiding money.", "2017-10-01"),
    ("Football final tonight", "The championship match kicks off at eight.", "2017-12-13"),
    ("Telecommunications merger approved", "Regulators approved the merger.", "2017-11-01"),
    ("Old story about Syria", "Syria talks continued in Geneva.", "2015-01-01"),
    ("Weather report", "Rain everywhere. Putin was not mentioned in the title.", "2017-12-14"),
    ("Flood warning issued", "Rivers rise in the north.", "2017-01-01"),
    ("Flood warning lifted", "Rivers fall again.", "2017-01-05"),
    ("Warning about rivers", "No word of water rising.", "2017-02-01"),
    ("Refugees in numbers", "Some 12 million people have fled the war.", "2016-06-01"),
]


async def indexed(
    db: Database, tmp_path: Path, stories: list[tuple[str, str, str]]
) -> SearchService:
    """The stories (title, body, day) loaded as a seed folder, and a search service with its
    index ready."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number, (title, body, day) in enumerate(stories):
        (folder / f"{number}.json").write_text(
            json.dumps({"title": title, "body": body, "published_at": day + "T12:00:00Z"})
        )
    await load_seeds(db, folder, now=NOW)
    service = SearchService(db, index_folder=tmp_path / "index")
    await service.index_ready()
    return service


@pytest.fixture
async def search(db: Database, tmp_path: Path) -> SearchService:
    return await indexed(db, tmp_path, CORPUS)


async def titles(service: SearchService, query: str) -> list[str]:
    return [hit.article.title for hit in (await service.search(query)).hits]


def test_typo_budget_follows_word_length() -> None:
    assert [typo_budget(w) for w in ["syria", "put", "parliament", "germany", "tele"]] == [
        1, 0, 2, 1, 0,
    ]  # fmt: skip


def test_folding_matches_the_index() -> None:
    assert fold("Zürich ÉCOLE straße") == "zurich ecole strasse"
    assert words("Merkel's party—won 2017!") == ["merkel", "s", "party", "won", "2017"]
    assert has_word("the putin visit", "putin") and not has_word("putinism", "putin")


def test_vocabulary_corrections_respect_the_budget() -> None:
    vocabulary = Vocabulary([("syria", 5), ("parliament", 2), ("put", 3), ("putin", 4)])
    assert [a.term for a in vocabulary.corrections("syira")] == ["syria"]  # a swap is one typo
    assert [a.term for a in vocabulary.corrections("parlaiemnt")] == ["parliament"]  # two
    assert vocabulary.corrections("pot") == []  # short words get no typo
    assert vocabulary.corrections("sxxia") == []  # two typos in a 5-letter word: too many
    assert [a.term for a in vocabulary.completions("pu")] == ["putin", "put"]  # commoner first


def test_a_four_letter_word_the_corpus_lacks_gets_one_typo() -> None:
    vocabulary = Vocabulary([("slump", 3), ("form", 5), ("from", 9), ("joins", 2)])
    assert [a.term for a in vocabulary.corrections("sump")] == ["slump"]  # a letter dropped
    assert [a.term for a in vocabulary.corrections("oins")] == ["joins"]
    assert [a.term for a in vocabulary.corrections("form")] == ["form"]  # a known word stays
    assert vocabulary.corrections("oxx") == []  # three letters: still none


def test_words_count_by_rarity_so_a_stray_word_does_not_outweigh_two_that_match() -> None:
    """The words "economic" and "issues" are each in about one article of fifteen: too common
    to tell articles apart alone, yet a title holding both (as typed, with typos) is what was
    meant, not one holding only the stray "story" typed after them."""
    vocabulary = Vocabulary(
        [("to", 2000), ("economic", 150), ("issues", 140), ("story", 60), ("film", 80)]
    )
    plan = plan_query("to ceonomic issuyes story", vocabulary)
    day = datetime(2005, 1, 1, tzinfo=UTC)

    def candidate(article_id: int, title: str) -> Candidate:
        folded = fold(title)
        return Candidate(article_id, title, folded, "", day, frozenset(words(folded)))

    candidates = [
        candidate(1, "Voters turn to economic issues"),
        candidate(2, "Documentary story to become film"),
    ]
    common = vocabulary.common_terms(vocabulary.doc_counts)
    # The index's relevance ranks the stray word's title a little higher (it is exact there).
    ranked = rank(
        plan, candidates, common=common, scores={1: 0.76, 2: 0.79}, detail=0.24,
        rarity=rarities(plan, vocabulary),
    )  # fmt: skip
    assert [m.article_id for m in ranked] == [1, 2]


@BOTH_DATABASES
@pytest.mark.parametrize(
    ("query", "meant", "near_miss"),
    [("sport", "sport", "sort"), ("goverment", "government", "movement")],
)
async def test_a_rare_near_miss_does_not_outrank_the_word_meant(
    db: Database, tmp_path: Path, query: str, meant: str, near_miss: str
) -> None:
    """A word many stories hold, typed right (or with one typo), beside a rarer word a typo
    or two away: the stories holding the word meant come first, and the reply does not say
    the query was read as the near-miss."""
    other = ["harbour", "winter", "museum", "railway", "bakery", "orchard", "glacier", "comet"]
    stories = [(f"{other[n % 8].title()} report {n}", f"Notes on the {other[n % 8]}, part {n}.",
                "2017-11-01") for n in range(48)]  # fmt: skip
    stories += [(f"Report number {n}", f"The {meant} news of day {n}.", "2017-12-01")
                for n in range(8)]  # fmt: skip
    stories.append(("Odd one out", f"A {near_miss} of thing happened.", "2017-12-20"))
    service = await indexed(db, tmp_path, stories)
    try:
        result = await service.search(query)
        assert result.hits and meant in result.hits[0].article.body
        assert result.corrected in (None, meant)
    finally:
        service.close()


@BOTH_DATABASES
async def test_a_query_in_an_alphabet_no_story_uses_is_told_so(search: SearchService) -> None:
    """Cyrillic words against English stories: nothing found, and the reply can say why
    rather than suggest shorter words."""
    result = await search.search("путин сирия")
    assert not result.hits and result.foreign_script
    mixed = await search.search("путин syria")  # one word it can read: searched as usual
    assert mixed.hits and not mixed.foreign_script
    nonsense = await search.search("qwzxv")  # Latin letters that match nothing: the usual
    assert not nonsense.hits and not nonsense.foreign_script
    reply = no_results(ENGLISH, "путин сирия", foreign_script=True).text
    assert "no story here is written in that alphabet" in reply and "shorter" not in reply


@BOTH_DATABASES
async def test_a_letter_dropped_from_a_five_letter_word_is_forgiven(
    search: SearchService,
) -> None:
    result = await search.search("flod warning lifted")
    assert result.hits[0].article.title == "Flood warning lifted"
    assert result.corrected == "flood warning lifted"


@BOTH_DATABASES
async def test_exact_and_typo_queries_find_the_story(search: SearchService) -> None:
    assert (await titles(search, "putin syria"))[0] == "Putin visits Syrian air base"
    result = await search.search("parlaiment budjet")
    assert result.hits[0].article.title == "Parliament debates the budget"
    assert result.corrected == "parliament budget"


@BOTH_DATABASES
async def test_last_word_is_a_prefix(search: SearchService) -> None:
    assert (await titles(search, "telecom"))[0] == "Telecommunications merger approved"
    result = await search.search("telecom")
    assert result.corrected is None  # completing a word is not "correcting" it


@BOTH_DATABASES
async def test_accents_and_case_are_folded(search: SearchService) -> None:
    assert (await titles(search, "ZURICH"))[0] == "Zürich bank scandal"
    assert (await titles(search, "zürich"))[0] == "Zürich bank scandal"


@BOTH_DATABASES
async def test_word_order_is_free_and_title_beats_body(search: SearchService) -> None:
    found = await titles(search, "syria putin")
    assert found[0] == "Putin visits Syrian air base"
    # "Putin" in a title ranks above "Putin" only in a body.
    putin = await titles(search, "putin")
    assert putin.index("Putin visits Syrian air base") < putin.index("Weather report")


@BOTH_DATABASES
async def test_more_words_matched_first_then_newer(search: SearchService) -> None:
    found = await titles(search, "flood warning rivers")
    assert found[:2] == ["Flood warning lifted", "Flood warning issued"]  # all three words
    assert found[2:] == ["Warning about rivers"]  # two of three, though it is the newest


@BOTH_DATABASES
@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "NEAR(", "a -b", "title:putin", "AND OR NOT", "putin\"'*", "(((", "^", "🙂"],
)
async def test_query_syntax_is_searched_as_text(search: SearchService, query: str) -> None:
    result = await search.search(query)  # must not raise a query syntax error
    assert isinstance(result.hits, list)


@BOTH_DATABASES
async def test_hostile_queries_get_a_result_not_an_error(search: SearchService) -> None:
    for query in ["", " ", "x" * 10_000, "\x00putin", "<script>alert(1)</script>", "بوتين"]:
        result = await search.search(query)
        assert isinstance(result.hits, list)
    assert (await titles(search, "\x00putin"))[0] == "Putin visits Syrian air base"


def test_plan_keeps_at_most_twelve_distinct_words() -> None:
    vocabulary = Vocabulary([(f"w{i}", 1) for i in range(30)])
    plan = plan_query(" ".join(f"w{i}" for i in range(30)) + " w1 w1", vocabulary)
    assert len(plan.words) == 12


def test_snippet_marks_matched_words_in_the_best_sentence() -> None:
    paragraphs = ["The weather was fine.", "Then Putin spoke in Syria about Syria's future."]
    segments = snippet(paragraphs, {"putin", "syria"})
    assert "".join(text for text, _ in segments).startswith("Then Putin spoke")
    assert [text for text, hit in segments if hit] == ["Putin", "Syria", "Syria"]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "The U.N. Syria envoy has called on Putin. He said so.",
            ["The U.N. Syria envoy has called on Putin. ", "He said so."],
        ),
        (
            "Dr. Smith met Mr. Jones in St. Louis. Then they left!",
            ["Dr. Smith met Mr. Jones in St. Louis. ", "Then they left!"],
        ),
        (
            'John F. Kennedy spoke. "No!" she said. (Really.) Prices rose 2.5% in Jan. It ended.',
            [
                "John F. Kennedy spoke. ",
                '"No!" she said. ',
                "(Really.) ",
                "Prices rose 2.5% in Jan. ",
                "It ended.",
            ],
        ),
        ("It ended, e.g. here. Вчера. Сегодня.", ["It ended, e.g. here. ", "Вчера. ", "Сегодня."]),
    ],
)
def test_snippet_sentences_end_at_sentence_ends_only(paragraph: str, expected: list[str]) -> None:
    assert sentences(paragraph) == expected


def test_snippet_is_the_whole_sentence_not_a_cut_at_an_abbreviation() -> None:
    paragraphs = ["Dr. Smith of the U.S. team says the vaccine works. Others disagree."]
    text = "".join(t for t, _ in snippet(paragraphs, {"smith"}))
    assert text == "Dr. Smith of the U.S. team says the vaccine works."


@given(
    st.text(alphabet=st.sampled_from("aA .!?\"')Dr.U.S e\n"), max_size=60) | st.text(max_size=60)
)
def test_snippet_sentences_keep_every_character(paragraph: str) -> None:
    assert "".join(sentences(paragraph)) == paragraph


@BOTH_DATABASES
@pytest.mark.parametrize(
    "query", ["bananas p", "p", "4", "' OR 1=1 --", "<script>alert(1)</script>"]
)
async def test_a_single_trailing_letter_or_digit_is_no_prefix(
    search: SearchService, query: str
) -> None:
    # "p" would complete to "putin" and "parliament", "1" to "12": nothing here holds the words.
    assert await titles(search, query) == []


@BOTH_DATABASES
async def test_words_nothing_matched_are_named_not_shown_as_understood(
    search: SearchService,
) -> None:
    result = await search.search("puttin sirxa")
    assert result.hits[0].article.title == "Putin visits Syrian air base"
    assert result.corrected == "putin"  # "sirxa" was neither corrected nor matched
    assert result.ignored == ["sirxa"]
    # Two letters swapped across a third is one slip: "sirya" is Syria.
    result = await search.search("puttin sirya")
    assert (result.corrected, result.ignored) == ("putin syria", [])
    result = await search.search("putin bananas")
    assert result.hits[0].article.title == "Putin visits Syrian air base"
    assert result.ignored == ["bananas"]
    assert (await search.search("putin syria")).ignored == []


@BOTH_DATABASES
async def test_small_talk_that_finds_only_filler_words_finds_nothing(
    search: SearchService,
) -> None:
    """Articles hold "was" and "the", but none "hello", "bot" or "day": no results rather than
    stories for "was the"; a word of substance beside them still finds its story."""
    assert (await search.search("hello bot how was the day")).hits == []
    assert (await titles(search, "was the zebracorn refugees"))[0] == "Refugees in numbers"


def test_a_long_message_is_cut_between_words() -> None:
    cut = clip_query("economy " * 40 + "bananas")
    assert len(cut) <= MAX_QUERY_CHARS and cut.split()[-1] == "economy"
    assert clip_query("x" * 500) == "x" * MAX_QUERY_CHARS  # one endless word: cut anyway


def test_ignored_words_are_shown_in_the_heading() -> None:
    from zoneinfo import ZoneInfo

    from bot.rendering.cards import search_page

    page = search_page(ENGLISH, "putin bananas", None, [], page=0, total=0, zone=ZoneInfo("UTC"),
                       ignored=["bananas"])  # fmt: skip
    assert "No match for: bananas" in page.text


@BOTH_DATABASES
async def test_a_long_query_of_unrelated_words_finds_each_story(search: SearchService) -> None:
    query = "putin parliament germany zurich football telecommunications geneva rivers"
    found = await titles(search, query)
    for title in [
        "Putin visits Syrian air base",
        "Parliament debates the budget",
        "Elections in Germany",
        "Zürich bank scandal",
        "Football final tonight",
        "Telecommunications merger approved",
    ]:
        assert title in found


def test_the_prefix_cache_is_bounded() -> None:
    from bot.search.vocabulary import MAX_CACHED_PREFIXES

    vocabulary = Vocabulary([("putin", 3), ("syria", 2)])
    for code in range(0x4E00, 0x4E00 + 3 * MAX_CACHED_PREFIXES):  # distinct CJK "words"
        vocabulary.completions(chr(code) * 2)
    assert vocabulary.completions("pu")[0].term == "putin"
    assert len(vocabulary._short_prefixes) <= MAX_CACHED_PREFIXES


MEGABYTE = 1_000_000
_ADVERSARIAL_PIECES = ["A. ", "Dr. ", "U.S. ", "e.g. ", ". ", "x", " ", "A.B.C.", "!", "’ "]


def test_snippet_of_a_megabyte_of_initials() -> None:
    # The paragraph, at 1 MB: the scan restarted at each initial (22 s at 24 kB).
    paragraph = "Zebracorn report. " + "A. " * (MEGABYTE // 3)
    assert "".join(sentences(paragraph)) == paragraph
    segments = snippet([paragraph], {"zebracorn"})
    assert ("Zebracorn", True) in segments


@settings(max_examples=5, deadline=None)
@given(st.lists(st.sampled_from(_ADVERSARIAL_PIECES), min_size=1, max_size=12), st.integers(1, 3))
def test_snippet_sentences_of_adversarial_megabytes(pieces: list[str], extra: int) -> None:
    unit = "".join(pieces)
    paragraph = "Zebracorn report. " + unit * (MEGABYTE // len(unit)) + "end" * extra
    assert "".join(sentences(paragraph)) == paragraph
    snippet([paragraph], {"zebracorn"})


@BOTH_DATABASES
async def test_a_search_reads_only_the_articles_of_the_page_shown(
    search: SearchService,
) -> None:
    from sqlalchemy import event

    from storage.models import Article

    read: list[int] = []

    def count(article: Article, _context: object) -> None:
        read.append(article.id)

    event.listen(Article, "load", count)
    try:
        result = await search.search("flood warning", articles=False)
        assert [hit.title for hit in result.hits][:2] == [
            "Flood warning lifted",
            "Flood warning issued",
        ]
        assert read == []  # ranked from the index alone
        page = await search.load(result.hits[:1])
        assert [hit.article.title for hit in page] == ["Flood warning lifted"]
        assert read == [result.hits[0].article_id]
    finally:
        event.remove(Article, "load", count)


@BOTH_DATABASES
async def test_words_in_the_order_typed_rank_first(db: Database, tmp_path: Path) -> None:
    stories = [
        ("Brown and Blair face new rift claims", "Politics.", "2005-01-01"),
        ("Blair and Brown criticised by MPs", "Politics.", "2005-02-01"),  # newer
    ]
    service = await indexed(db, tmp_path, stories)
    try:
        assert (await titles(service, "brown and blair"))[0].startswith("Brown and Blair")
        assert (await titles(service, "blair and brown"))[0].startswith("Blair and Brown")
    finally:
        service.close()


@BOTH_DATABASES
async def test_a_four_letter_typo_finds_the_headline_that_holds_the_word(
    db: Database, tmp_path: Path
) -> None:
    """The typed "eave" is no word of the corpus: one typo is forgiven, in the headline too, so
    the story whose title says "set to leave" beats newer ones holding "leave" in the body."""
    stories = [
        ("Bank set to leave rates on hold", "The bank kept rates.", "2005-01-01"),
        ("Exchange set to woo rival", "Its chief may leave soon, and have to go.", "2005-02-01"),
        ("Team set to sign striker", "He would leave his club and have a move.", "2005-03-01"),
        ("Minister set to resign", "She will leave office and have time off.", "2005-04-01"),
    ]
    service = await indexed(db, tmp_path, stories)
    try:
        result = await service.search("set to eave")
        assert result.hits[0].article.title == "Bank set to leave rates on hold"
        assert result.corrected == "set to leave"
    finally:
        service.close()
