"""Telegram HTML parse mode: entities, Telegram's error texts, and escaping round-trips."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeapi.html import EntityParseError, parse_html
from fakeapi.text import utf16_len, utf16_slice

PREFIX = "Bad Request: can't parse entities: "


def error_of(text: str) -> str:
    with pytest.raises(EntityParseError) as info:
        parse_html(text)
    assert info.value.error_code == 400
    assert info.value.description.startswith(PREFIX)
    return info.value.description.removeprefix(PREFIX)


def test_nested_formatting_gives_utf16_entities():
    text, entities = parse_html(
        "😀 <b>bold <i>both</i></b> <u>u</u> <s>s</s> <tg-spoiler>x</tg-spoiler>"
    )
    assert text == "😀 bold both u s x"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "underline", "offset": 13, "length": 1},
        {"type": "strikethrough", "offset": 15, "length": 1},
        {"type": "spoiler", "offset": 17, "length": 1},
    ]


def test_synonym_tags_and_case_insensitive_names():
    text, entities = parse_html(
        "<STRONG>a</STRONG><em>b</em><ins>c</ins><del>d</del><strike>e</strike>"
    )
    assert text == "abcde"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "strikethrough",
    ]


def test_links_are_normalised_or_dropped():
    text, entities = parse_html(
        '<a href="example.com">a</a> '
        "<a href='https://t.me/x?a=1&amp;b=2'>b</a> "
        '<a href="x y">c</a>'
    )
    assert text == "a b c"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 1, "url": "http://example.com/"},
        {"type": "text_link", "offset": 2, "length": 1, "url": "https://t.me/x?a=1&b=2"},
    ]


def test_pre_code_language_and_blockquotes():
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        '<code class="language-py">c</code>'
        "<blockquote expandable>q</blockquote><blockquote>r</blockquote>"
    )
    assert text == "x = 1cqr"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "code", "offset": 5, "length": 1},
        {"type": "expandable_blockquote", "offset": 6, "length": 1},
        {"type": "blockquote", "offset": 7, "length": 1},
    ]


def test_custom_emoji_and_spoiler_span():
    text, entities = parse_html(
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><span class="tg-spoiler">s</span>'
    )
    assert text == "👍s"
    assert entities[0] == {
        "type": "custom_emoji",
        "offset": 0,
        "length": 2,
        "custom_emoji_id": "5368324170671202286",
    }
    assert entities[1] == {"type": "spoiler", "offset": 2, "length": 1}


def test_character_references():
    text, entities = parse_html("&lt;b&gt; &amp; &quot; &#65;&#x42; &#x1F600; &lt")
    assert text == '<b> & " AB 😀 <'
    assert entities == []


def test_bare_ampersand_and_unknown_entities_are_text():
    # Telegram keeps what it cannot decode, it does not reject it.
    assert parse_html("Q&A & &nbsp; &copy; &#; &#xZZ;")[0] == "Q&A & &nbsp; &copy; &#; &#xZZ;"


def test_empty_tags_produce_no_entity():
    assert parse_html("<b></b>x<i></i>") == ("x", [])


def test_end_tag_may_omit_the_name():
    assert parse_html("<b>x</>") == ("x", [{"type": "bold", "offset": 0, "length": 1}])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Hello, world<script>", 'Unsupported start tag "script" at byte offset 12'),
        ("ünïcode <br>", 'Unsupported start tag "br" at byte offset 10'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("I <3 you", 'Unsupported start tag "3" at byte offset 2'),
        ("a <", "Unclosed start tag at byte offset 2"),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<i>x</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x"/>y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        (
            "&#xD83D;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_errors_match_telegram(source: str, reason: str):
    assert error_of(source) == reason


def test_surrogate_pair_references_join():
    assert parse_html("&#55357;&#56832;")[0] == "😀"


@settings(database=None)  # keep example files out of the repository
@given(st.text())
def test_escaped_text_round_trips(text: str):
    plain, entities = parse_html(html.escape(text))
    assert plain == text
    assert entities == []


@settings(database=None)
@given(st.text(), st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler"]))
def test_escaped_text_in_a_tag_is_one_entity(text: str, tag: str):
    plain, entities = parse_html(f"<{tag}>{html.escape(text)}</{tag}>")
    assert plain == text
    if text:
        assert len(entities) == 1
        assert (entities[0]["offset"], entities[0]["length"]) == (0, utf16_len(text))
    else:
        assert entities == []


@settings(database=None)
@given(st.text(alphabet="<>/&;#xabiu=\"' -é😀\0", max_size=40))
def test_any_input_parses_or_fails_with_a_telegram_error(text: str):
    failure: str | None = None
    try:
        plain, entities = parse_html(text)
    except EntityParseError as error:
        failure = error.description
    if failure is not None:
        assert failure.startswith(PREFIX)
        return
    for entity in entities:
        assert entity["length"] > 0
        assert entity["offset"] + entity["length"] <= utf16_len(plain)
        assert utf16_slice(plain, entity["offset"], entity["length"])
