"""Message checks: text normalisation and limits, keyboards, inline results, commands."""

from __future__ import annotations

import pytest

from fakeapi.errors import ApiError
from fakeapi.limits import (
    check_callback_answer_text,
    check_commands,
    check_inline_results,
    check_reply_markup,
    format_text,
)
from fakeapi.text import find_entities


def rejects(fn, *args, **kwargs) -> str:
    with pytest.raises(ApiError) as info:
        fn(*args, **kwargs)
    assert info.value.error_code == 400
    return info.value.description


def test_text_is_trimmed_and_cleaned_like_telegram():
    text, entities = format_text("\n\n  hi\tthere\r\n  \n", None)
    assert text == "hi there"
    assert entities == []


def test_leading_space_inside_an_entity_is_kept():
    text, entities = format_text("<b>  x</b>  ", "HTML")
    assert text == "  x"
    assert entities == [{"type": "bold", "offset": 0, "length": 3}]


def test_empty_and_whitespace_only_text():
    for text, mode in [("", None), ("  \n ", None), ("<b> </b>", "HTML"), (None, None)]:
        assert rejects(format_text, text, mode) == "Bad Request: message text is empty"


def test_length_counts_utf16_code_units():
    format_text("a" * 4096, None)
    assert rejects(format_text, "a" * 4097, None) == "Bad Request: message is too long"
    format_text("😀" * 2048, None)  # 4096 UTF-16 units
    assert rejects(format_text, "😀" * 2049, None) == "Bad Request: message is too long"
    # the limit applies after entity parsing: the tags do not count
    format_text("<b>" + "a" * 4096 + "</b>", "HTML")


def test_parse_mode_is_case_insensitive_and_checked():
    assert format_text("<b>x</b>", "html")[0] == "x"
    assert rejects(format_text, "x", "Textile") == "Bad Request: unsupported parse_mode"


def test_explicit_entities_are_checked_against_the_text():
    _text, entities = format_text("hello", None, '[{"type": "bold", "offset": 0, "length": 5}]')
    assert entities == [{"type": "bold", "offset": 0, "length": 5}]
    message = rejects(format_text, "hi", None, [{"type": "bold", "offset": 1, "length": 5}])
    assert "ends after the end of the text" in message


def test_detected_entities():
    found = find_entities(
        "/start@newsbot_test_bot see https://example.com, #news $USD @someone a@b.io"
    )
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 23),
        ("url", 28, 19),
        ("hashtag", 49, 5),
        ("cashtag", 55, 4),
        ("mention", 60, 8),
        ("email", 69, 6),
    ]


def test_detected_entities_skip_code_and_links():
    _text, entities = format_text(
        "<code>/start</code> <a href='https://x.org'>https://y.org</a>", "HTML"
    )
    assert [e["type"] for e in entities] == ["code", "text_link"]


def keyboard(*buttons: dict[str, str]) -> str:
    import json

    return json.dumps({"inline_keyboard": [list(buttons)]})


def test_inline_keyboard_rules():
    assert check_reply_markup(keyboard({"text": "a", "callback_data": "x" * 64}))
    assert rejects(check_reply_markup, keyboard({"text": "a", "callback_data": "x" * 65})) == (
        "Bad Request: BUTTON_DATA_INVALID"
    )
    # 64 bytes, not characters
    assert rejects(check_reply_markup, keyboard({"text": "a", "callback_data": "é" * 33})) == (
        "Bad Request: BUTTON_DATA_INVALID"
    )
    assert rejects(check_reply_markup, keyboard({"text": "a", "callback_data": ""})) == (
        "Bad Request: BUTTON_DATA_INVALID"
    )
    assert rejects(check_reply_markup, keyboard({"text": "a"})) == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )
    assert rejects(check_reply_markup, keyboard({"callback_data": "a"})) == (
        "Bad Request: can't parse inline keyboard button: Can't find field \"text\""
    )
    both = rejects(
        check_reply_markup, keyboard({"text": "a", "callback_data": "a", "url": "x.org"})
    )
    assert "exactly one" in both
    assert "is invalid" in rejects(check_reply_markup, keyboard({"text": "a", "url": "not a url"}))
    assert rejects(check_reply_markup, "{not json") == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )


def test_url_buttons_are_normalised():
    markup = check_reply_markup(keyboard({"text": "a", "url": "example.com"}))
    assert markup == {"inline_keyboard": [[{"text": "a", "url": "http://example.com/"}]]}


def test_reply_keyboards_are_accepted():
    assert check_reply_markup({"keyboard": [["a", {"text": "b"}]], "resize_keyboard": True})
    assert check_reply_markup({"remove_keyboard": True})


def article(result_id: str, text: str = "t", **extra: str) -> dict[str, object]:
    return {
        "type": "article",
        "id": result_id,
        "title": "T",
        "input_message_content": {"message_text": text, **extra},
    }


def test_inline_results():
    checked = check_inline_results([article(str(i)) for i in range(50)])
    assert len(checked) == 50
    many = [article(str(i)) for i in range(51)]
    assert rejects(check_inline_results, many) == "Bad Request: RESULTS_TOO_MUCH"
    assert rejects(check_inline_results, [article("")]) == "Bad Request: RESULT_ID_INVALID"
    assert rejects(check_inline_results, [article("x" * 65)]) == "Bad Request: RESULT_ID_INVALID"
    assert rejects(check_inline_results, [article("a"), article("a")]) == (
        "Bad Request: RESULT_ID_DUPLICATE"
    )
    bad_html = [article("a", "<b>x", parse_mode="HTML")]
    assert "can't parse entities" in rejects(check_inline_results, bad_html)
    assert rejects(check_inline_results, [article("a", "x" * 4097)]) == (
        "Bad Request: message is too long"
    )


def test_callback_answer_text_limit():
    assert check_callback_answer_text("x" * 200) == "x" * 200
    assert rejects(check_callback_answer_text, "x" * 201) == "Bad Request: MESSAGE_TOO_LONG"


def test_commands():
    assert check_commands('[{"command": "start", "description": "Start"}]') == [
        {"command": "start", "description": "Start"}
    ]
    for bad in ("Start", "/start", "with space", "x" * 33, ""):
        command = [{"command": bad, "description": "d"}]
        assert rejects(check_commands, command) == "Bad Request: BOT_COMMAND_INVALID"
    no_description = [{"command": "a", "description": ""}]
    assert rejects(check_commands, no_description) == "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
