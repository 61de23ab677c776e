"""The seed parser: wire pages, plain articles, JSON, encodings, and every rejection reason."""

from __future__ import annotations

import html
import json
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.rendering.seed_reasons import english
from storage.seeds.dates import ZONE_HOURS
from storage.seeds.decoding import MAX_BYTES
from storage.seeds.parsing import parse_seed
from storage.seeds.records import ParsedArticle, Rejection

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SEED = ROOT / "seeds" / "000_e65de5108a7689b8.txt"
BBC = Path("/work/shared/data/bbc-news-summary/NewsArticles")
needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC data set not present at {BBC}")

NOW = datetime(2018, 6, 1, tzinfo=UTC)


def parsed(data: bytes | str, now: datetime = NOW) -> ParsedArticle:
    result = parse_seed(data.encode() if isinstance(data, str) else data, now=now)
    assert isinstance(result, ParsedArticle), result
    return result


def rejected(data: bytes | str) -> str:
    result = parse_seed(data.encode() if isinstance(data, str) else data, now=NOW)
    assert isinstance(result, Rejection), result
    return english(result)


def wire(lead: str, *, date: str | None = "Dec 14, 8:20 AM EST", footer: str = "") -> str:
    """A wire page in the shipped seed's shape, with the given first-paragraph lead-in."""
    top = f"{date}\n\n" if date is not None else ""
    return (
        f"{top}Storm hits the coast\n\nWorld Video\n\nLatest Weather News\nHeadline elsewhere\n\n"
        f"{lead}Heavy rain fell on Monday.\n\nRoads were closed.\n\n{footer}Latest News"
    )


# --- the shipped AP seed -------------------------------------------------------------------


def test_shipped_seed_parses_exactly() -> None:
    article = parsed(SHIPPED_SEED.read_bytes())

    assert article.title == "UN Syria envoy urges Putin to have 'courage' to push Assad"
    assert article.published_at == datetime(2017, 12, 14, 13, 20, tzinfo=UTC)
    assert article.source == "The Associated Press"
    assert article.dateline == "GENEVA"
    assert article.section == "World"
    assert article.topics == ("Syria",)
    assert article.url is None
    assert [p.split()[:2] for p in article.paragraphs] == [
        ["The", "U.N."],
        ["In", "an"],
        ["Russia", "has"],
        ["Asked", "what"],
        ["The", "comments"],
        ["The", "head"],
        ["In", "the"],
        ["With", "Russia"],
        ["Hinting", "at"],
    ]
    assert article.paragraphs[0] == (
        "The U.N. Syria envoy has called on Russian President Vladimir Putin to "
        '"have the courage" to push the Syrian government to accept new elections and a new '
        "constitution."
    )
    assert article.paragraphs[-1].endswith("driven over 12 million from their homes.")
    # Every story line between the lead-in and the copyright line, verbatim, and nothing else.
    lines = [line for line in SHIPPED_SEED.read_text(encoding="utf-8").splitlines() if line]
    start = next(i for i, line in enumerate(lines) if line.startswith("GENEVA (AP) -- "))
    end = next(i for i, line in enumerate(lines) if line.startswith("© 2017"))
    story = [lines[start].removeprefix("GENEVA (AP) -- "), *lines[start + 1 : end]]
    assert list(article.paragraphs) == story
    furniture = ("Video", "Reprints", "©", "Latest", "Freed Jordanian", "All rights reserved")
    assert not [p for p in article.paragraphs for word in furniture if word in p]


# --- wire layout variants ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "dateline", "source"),
    [
        ("LONDON (Reuters) - ", "LONDON", "Reuters"),
        ("PARIS (AFP) — ", "PARIS", "Agence France-Presse"),
        ("WASHINGTON (AP) – ", "WASHINGTON", "The Associated Press"),
        ("NEW YORK (AP) -- ", "NEW YORK", "The Associated Press"),
        ("RIO DE JANEIRO (AP) -- ", "RIO DE JANEIRO", "The Associated Press"),
        ("SAN JUAN, Puerto Rico (AP) — ", "SAN JUAN, Puerto Rico", "The Associated Press"),
        ("GENEVA (AP)--", "GENEVA", "The Associated Press"),
    ],
)
def test_wire_agencies_and_dashes(lead: str, dateline: str, source: str) -> None:
    article = parsed(wire(lead))

    assert article.title == "Storm hits the coast"
    assert article.dateline == dateline
    assert article.source == source
    assert article.section == "World"
    assert article.topics == ("Weather",)
    assert article.paragraphs == ("Heavy rain fell on Monday.", "Roads were closed.")


def test_lead_in_agency_wins_over_copyright_holder() -> None:
    footer = "© 2017 Thomson Reuters. All rights reserved.\n\n"
    assert parsed(wire("LONDON (Reuters) - ", footer=footer)).source == "Reuters"


@pytest.mark.parametrize(
    ("copyright_line", "source"),
    [
        ("© 2005 Reuters. All rights reserved.", "Reuters"),
        ("© 2017 AP", "The Associated Press"),
        ("(c) 2004 Agence France-Presse", "Agence France-Presse"),
        ("Copyright © 2016-2017 Example News Ltd. Terms of use.", "Example News Ltd"),
    ],
)
def test_copyright_line_names_the_source_and_ends_the_story(
    copyright_line: str, source: str
) -> None:
    article = parsed(f"Title here\n\nThe body.\n\n{copyright_line}\n\nFooter link")

    assert article.source == source
    assert article.dateline is None
    assert article.paragraphs == ("The body.",)


def test_plain_article_quoting_a_wire_lead_in_is_not_cut() -> None:
    text = "Title\n\nFirst paragraph of prose.\n\nLONDON (Reuters) - Quoted later.\n"
    article = parsed(text)

    assert article.source is None
    assert article.paragraphs == ("First paragraph of prose.", "LONDON (Reuters) - Quoted later.")


def test_wire_without_copyright_drops_trailing_furniture() -> None:
    article = parsed(wire("GENEVA (AP) -- "))
    assert "Latest News" not in article.paragraphs


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("Dec 14, 8:20 AM EST", datetime(2017, 12, 14, 13, 20)),
        ("Dec 14, 8:20 PM EST", datetime(2017, 12, 15, 1, 20)),
        ("Dec 14, 2017, 8:20 PM EST", datetime(2017, 12, 15, 1, 20)),
        ("December 14, 2017 20:20 GMT", datetime(2017, 12, 14, 20, 20)),
        ("Jul 4, 12:00 AM CDT", datetime(2017, 7, 4, 5, 0)),
        ("Jul 4, 12:30 PM MDT", datetime(2017, 7, 4, 18, 30)),
        ("Jul 4, 9:05 a.m. PDT", datetime(2017, 7, 4, 16, 5)),
        ("Jan 3, 9:05 pm PST", datetime(2017, 1, 4, 5, 5)),
        ("Jan 3, 9:05 AM CST", datetime(2017, 1, 3, 15, 5)),
        ("Jan 3, 9:05 AM MST", datetime(2017, 1, 3, 16, 5)),
        ("Jul 4, 9:05 AM EDT", datetime(2017, 7, 4, 13, 5)),
        ("Jul 4, 10:00 BST", datetime(2017, 7, 4, 9, 0)),
        ("Jan 3, 10:00 CET", datetime(2017, 1, 3, 9, 0)),
        ("Jul 4, 10:00 CEST", datetime(2017, 7, 4, 8, 0)),
        ("Jul 4, 10:00 UTC", datetime(2017, 7, 4, 10, 0)),
        ("Jul 4, 10:00 +0100", datetime(2017, 7, 4, 9, 0)),
        ("Jul 4, 10:00 +01:00", datetime(2017, 7, 4, 9, 0)),
        ("Jul 4, 10:00 -0530", datetime(2017, 7, 4, 15, 30)),
        ("Sept. 1, 2016, 11:59 PM PDT", datetime(2016, 9, 2, 6, 59)),
    ],
)
def test_date_lines_become_utc(date_line: str, expected: datetime) -> None:
    # The copyright year (2017) stands in for a missing year; a year in the line wins.
    article = parsed(wire("GENEVA (AP) -- ", date=date_line, footer="© 2017 AP\n\n"))
    assert article.published_at == expected.replace(tzinfo=UTC)


def test_zone_table_matches_the_us_and_european_offsets() -> None:
    assert {zone: ZONE_HOURS[zone] for zone in ("EST", "EDT", "CST", "CDT")} == {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
    }
    assert {zone: ZONE_HOURS[zone] for zone in ("MST", "MDT", "PST", "PDT")} == {
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
    }
    assert {zone: ZONE_HOURS[zone] for zone in ("UTC", "GMT", "BST", "CET", "CEST")} == {
        "UTC": 0,
        "GMT": 0,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
    }


@pytest.mark.parametrize(
    ("now", "year"),
    [
        (datetime(2018, 1, 5, tzinfo=UTC), 2017),  # last December
        (datetime(2017, 12, 20, tzinfo=UTC), 2017),  # this December, already past
        (datetime(2017, 12, 13, 14, 0, tzinfo=UTC), 2017),  # under a day ahead: allowed
        (datetime(2017, 12, 13, 12, 0, tzinfo=UTC), 2016),  # over a day ahead: last year
    ],
)
def test_missing_year_is_the_latest_not_after_now(now: datetime, year: int) -> None:
    article = parsed(wire("GENEVA (AP) -- "), now=now)
    assert article.published_at == datetime(year, 12, 14, 13, 20, tzinfo=UTC)


def test_missing_year_near_the_end_of_time() -> None:
    # Dec 31 9999, 11 PM PST is past datetime.max in UTC, so the year before is taken.
    now = datetime(9999, 12, 31, 12, 0, tzinfo=UTC)
    article = parsed(wire("GENEVA (AP) -- ", date="Dec 31, 11:00 PM PST"), now=now)
    assert article.published_at == datetime(9999, 1, 1, 7, 0, tzinfo=UTC)


def test_missing_year_for_feb_29_finds_a_leap_year() -> None:
    article = parsed(wire("GENEVA (AP) -- ", date="Feb 29, 10:00 UTC"), now=NOW)
    assert article.published_at == datetime(2016, 2, 29, 10, 0, tzinfo=UTC)


def test_no_date_line_means_no_date_even_with_a_copyright_year() -> None:
    article = parsed(wire("GENEVA (AP) -- ", date=None, footer="© 2017 AP\n\n"))

    assert article.published_at is None
    assert article.title == "Storm hits the coast"
    assert article.dateline == "GENEVA"


@pytest.mark.parametrize(
    ("date_line", "reason_part"),
    [
        ("Dec 14, 8:20 AM XYZ", "unknown time zone 'XYZ'"),
        ("Feb 30, 2017, 8:20 AM EST", "no such date: 2017-02-30"),
        ("Dec 14, 13:20 PM EST", "hour 13 with AM/PM"),
        ("Dec 14, 25:20 GMT", "no such time 25:20"),
    ],
)
def test_impossible_date_lines_are_rejected(date_line: str, reason_part: str) -> None:
    reason = rejected(wire("GENEVA (AP) -- ", date=date_line))
    assert reason.startswith(f"bad date line {date_line!r}")
    assert reason_part in reason


# --- plain layout --------------------------------------------------------------------------


def test_plain_article_with_odd_spacing() -> None:
    text = (
        "\n  Job cuts 'false economy'  - TUC \n\n"
        "First  paragraph\twith tabs.\n\n\n\n"
        "Second paragraph\nwrapped over\n  three lines.\n \n \t\n"
        " - A list item \n\n***\n\nFianc&#233;e, AT&T &amp; co.\n"
    )
    article = parsed(text)

    assert article.title == "Job cuts 'false economy' - TUC"
    assert article.paragraphs == (
        "First paragraph with tabs.",
        "Second paragraph wrapped over three lines.",
        "- A list item",
        "Fiancée, AT&T & co.",
    )
    assert (article.published_at, article.source, article.dateline) == (None, None, None)
    assert (article.section, article.topics, article.url) == (None, (), None)


def test_plain_article_without_blank_line_after_title() -> None:
    assert parsed("Title\nBody line one\nline two").paragraphs == ("Body line one line two",)


def test_control_characters_are_stripped() -> None:
    # A few stray controls (under 10% of the text) are dropped; more would mean binary content.
    article = parsed("Ti\x07tle\x1b\n\nBo\x7fdy\x85 text.\x0cNext page, and some more words.")

    assert article.title == "Title"
    assert article.paragraphs == ("Body text. Next page, and some more words.",)


# --- the BBC data set ----------------------------------------------------------------------


@needs_bbc
def test_bbc_article() -> None:
    article = parsed((BBC / "business" / "001.txt").read_bytes())

    assert article.title == "Ad sales boost Time Warner profit"
    assert article.paragraphs[0].startswith("Quarterly profits at US media giant TimeWarner")
    assert "(£600m)" in article.paragraphs[0]
    assert len(article.paragraphs) == 5
    assert article.source is None
    assert article.published_at is None


@needs_bbc
def test_bbc_latin1_file_reads_pound_signs() -> None:
    article = parsed((BBC / "sport" / "199.txt").read_bytes())

    assert article.title == "Chelsea sack Mutu"
    assert "a £15.8m signing from Parma" in article.paragraphs[1]
    assert "\ufffd" not in " ".join(article.paragraphs)


@needs_bbc
def test_every_bbc_file_parses_quickly() -> None:
    files = sorted(BBC.glob("*/*.txt"))
    contents = [path.read_bytes() for path in files]
    assert len(contents) == 2225

    start = time.perf_counter()
    results = [parse_seed(data, name=path.name) for path, data in zip(files, contents, strict=True)]
    elapsed = time.perf_counter() - start

    failures = [
        (p.name, r) for p, r in zip(files, results, strict=True) if isinstance(r, Rejection)
    ]
    assert failures == []
    for path, data, result in zip(files, contents, results, strict=True):
        assert isinstance(result, ParsedArticle)
        first_line = data.split(b"\n", 1)[0].decode("utf-8", "replace")
        assert result.title == " ".join(html.unescape(first_line).split()), path
        assert_well_formed(result)
    assert elapsed < 2.0, f"parsing the BBC set took {elapsed:.2f} s"


# --- JSON layout ---------------------------------------------------------------------------


def test_json_with_string_body() -> None:
    document = {
        "title": "  Markets  rally ",
        "body": "First paragraph\nstill first.\n\nSecond paragraph.",
        "published_at": "2017-12-14T08:20:00-05:00",
        "source": "Reuters",
        "url": "https://example.com/a?x=1&y=2",
        "topics": ["Markets", " Economy ", "Markets", ""],
    }
    article = parsed(json.dumps(document, indent=2))

    assert article == ParsedArticle(
        title="Markets rally",
        paragraphs=("First paragraph still first.", "Second paragraph."),
        published_at=datetime(2017, 12, 14, 13, 20, tzinfo=UTC),
        source="Reuters",
        url="https://example.com/a?x=1&y=2",
        topics=("Markets", "Economy"),
    )


def test_json_with_list_body_and_missing_fields() -> None:
    article = parsed('{"title": "T", "body": ["One\\n\\ntwo.", "", "Three."]}')

    assert article.paragraphs == ("One two.", "Three.")
    assert (article.published_at, article.source, article.url, article.topics) == (
        None,
        None,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("published_at", "expected"),
    [
        ("2017-12-14T13:20:00", datetime(2017, 12, 14, 13, 20, tzinfo=UTC)),  # naive is UTC
        ("2017-12-14T13:20:00Z", datetime(2017, 12, 14, 13, 20, tzinfo=UTC)),
        ("2017-12-14T14:20:00+01:00", datetime(2017, 12, 14, 13, 20, tzinfo=UTC)),
        ("2017-12-14", datetime(2017, 12, 14, tzinfo=UTC)),
        (None, None),
    ],
)
def test_json_published_at(published_at: str | None, expected: datetime | None) -> None:
    document = {"title": "T", "body": "B.", "published_at": published_at}
    article = parsed(json.dumps(document))

    assert article.published_at == expected
    if expected is not None:
        assert article.published_at is not None
        assert article.published_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{\n  "title": "T",\n  "body" "B"\n}',
            "invalid JSON at line 3 column 10: Expecting ':' delimiter",
        ),
        (
            '{"title": "T",\n\n  "a" "b"}',
            "invalid JSON at line 3 column 7: Expecting ':' delimiter",
        ),
        ('{"title": "T", "body": "B"', "invalid JSON at line 1 column 27: Expecting ',' delimiter"),
        ('{"title": "T"} trailing', "invalid JSON at line 1 column 16: Extra data"),
        ('{"a": ' + "[" * 100_000, "invalid JSON: nested too deeply"),
        ('{"body": "B"}', "JSON article has no title"),
        ('{"title": "T"}', "JSON article has no body"),
        ('{"title": "T", "body": []}', "no body text after the title"),
        ('{"title": "T", "body": "  \\n\\n "}', "no body text after the title"),
        ('{"title": 5, "body": "B"}', "JSON field 'title' must be a string"),
        (
            '{"title": "T", "body": {"a": 1}}',
            "JSON field 'body' must be a string or a list of strings",
        ),
        (
            '{"title": "T", "body": ["a", 1]}',
            "JSON field 'body' must be a string or a list of strings",
        ),
        (
            '{"title": "T", "body": "B", "topics": "x"}',
            "JSON field 'topics' must be a list of strings",
        ),
        ('{"title": "T", "body": "B", "url": 3}', "JSON field 'url' must be a string"),
        (
            '{"title": "T", "body": "B", "published_at": "yesterday"}',
            "invalid published_at 'yesterday'",
        ),
    ],
)
def test_json_rejections(text: str, reason: str) -> None:
    assert rejected(text) == reason


# --- encodings and line endings ------------------------------------------------------------


def test_utf8_with_bom() -> None:
    article = parsed("\ufeffCafé news\n\nThe café opened.".encode())
    assert (article.title, article.paragraphs) == ("Café news", ("The café opened.",))


def test_utf8_bom_before_json() -> None:
    assert parsed(b"\xef\xbb\xbf" + b'{"title": "T", "body": "B."}').title == "T"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings(newline: str) -> None:
    text = newline.join(["Title", "", "One", "still one.", "", "Two."])
    assert parsed(text).paragraphs == ("One still one.", "Two.")


def test_latin1_file() -> None:
    article = parsed("Prix à Genève\n\nLe billet coûte £5, ±½ €.".encode("latin-1", "replace"))

    assert article.title == "Prix à Genève"
    assert article.paragraphs == ("Le billet coûte £5, ±½ ?.",)  # Latin-1 has no euro sign


def test_cp1252_smart_quotes() -> None:
    article = parsed("“Quoted” title\n\nIt’s 5 € – cheap.".encode("cp1252"))
    assert (article.title, article.paragraphs) == ("“Quoted” title", ("It’s 5 € – cheap.",))


# --- rejections ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  ", "blank file (only whitespace)"),
        (b"\xef\xbb\xbf\n", "blank file (only whitespace)"),
        (b"Title\n\nBody\x00text", "binary content (NUL bytes)"),
        (b"Title\n\nBody" + b"\x1b" * 9, "binary content (45% control characters)"),
        ("Title\n\nBody".encode("utf-16"), "unsupported encoding (UTF-16); save the file as UTF-8"),
        (b"Just a title\n", "no body text after the title"),
        (b"Just a title\n\n*** --- ***\n", "no body text after the title"),
        (b"*** ---\n\nBody text.", "no title (the title line has no letters or digits)"),
        (b"Dec 14, 8:20 AM EST\n\n", "no title after the date line"),
        (b"GENEVA (AP) -- Text.\n\nMore.", "no title before the GENEVA (AP) lead-in"),
        (b"T" * 301 + b"\n\nBody.", "title too long (301 characters, limit 300)"),
    ],
)
def test_rejection_reasons(data: bytes, reason: str) -> None:
    assert rejected(data) == reason


def test_file_too_large() -> None:
    assert rejected(b"a" * int(6.2 * 1024 * 1024)) == "file too large (6.2 MB, limit 5 MB)"
    assert rejected(b"a" * (MAX_BYTES + 1)) == "file too large (5.1 MB, limit 5 MB)"


def test_file_at_the_size_limit_is_read() -> None:
    head = b"Title\n\n"
    article = parsed(head + b"word " * ((MAX_BYTES - len(head)) // 5))
    assert article.title == "Title"


def test_title_of_300_characters_is_kept() -> None:
    assert len(parsed("T" * 300 + "\n\nBody.").title) == 300


# --- never raises --------------------------------------------------------------------------


def assert_well_formed(result: ParsedArticle | Rejection) -> None:
    """Whatever the input, the result is a clean record or a one-line reason."""
    if isinstance(result, Rejection):
        assert english(result)
        assert "\n" not in english(result)
        assert len(english(result)) < 200
        return
    texts = [result.title, *result.paragraphs, *result.topics]
    texts += [t for t in (result.source, result.dateline, result.section, result.url) if t]
    for text in texts:
        text.encode("utf-8")  # no lone surrogates
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    for text in [result.title, *result.paragraphs]:
        assert text
        assert text == " ".join(text.split())
    assert len(result.title) <= 300
    assert result.paragraphs
    if result.published_at is not None:
        assert result.published_at.tzinfo is UTC


FRAGMENTS = [
    "Dec 14, 8:20 AM EST",
    "Feb 29, 10:00 UTC",
    "Dec 14, 2017, 8:20 PM XYZ",
    "GENEVA (AP) -- ",
    "LONDON (Reuters) - ",
    "© 2017 The Associated Press. All rights reserved.",
    "World Video",
    "Latest Syria News",
    "Latest News",
    "{",
    '{"title": "T", "body": ',
    '"published_at": "2017-12-14T08:20:00"}',
    "&#233;",
    "&#0;",
    '{"title": "\\ud800T\\u0007", "body": ["\\udfffB", "\\u0000"], "source": "&#1;"}',
    "\ufeff",
    "\x00",
    "\r",
    "",
]


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    assert_well_formed(parse_seed(data, now=NOW))


@settings(max_examples=2000)
@given(st.text(max_size=500))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert_well_formed(parse_seed(text.encode("utf-8"), now=NOW))


@settings(max_examples=2000)
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=12),
    st.sampled_from(["\n", "\n\n", "\r\n", " "]),
    st.datetimes(timezones=st.just(UTC)),
)
def test_seed_like_text_never_raises(parts: list[str], separator: str, now: datetime) -> None:
    data = separator.join(parts).encode("utf-8")
    assert_well_formed(parse_seed(data, now=now))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
JSON_ARTICLES = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(st.text(max_size=40), JSON_VALUES),
        "body": st.one_of(st.text(), st.lists(st.text(max_size=40)), JSON_VALUES),
        "published_at": st.one_of(
            st.datetimes(timezones=st.none() | st.just(UTC)).map(datetime.isoformat),
            st.text(max_size=30),
            JSON_VALUES,
        ),
        "source": st.one_of(st.text(max_size=20), JSON_VALUES),
        "url": st.one_of(st.text(max_size=20), JSON_VALUES),
        "topics": st.one_of(st.lists(st.text(max_size=10), max_size=3), JSON_VALUES),
    },
)


@settings(max_examples=2000)
@given(JSON_ARTICLES, st.booleans())
def test_arbitrary_json_articles_never_raise(document: dict[str, object], ascii_only: bool) -> None:
    data = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
    result = parse_seed(data, now=NOW)

    assert_well_formed(result)
    if isinstance(result, ParsedArticle):
        assert isinstance(document.get("title"), str)
