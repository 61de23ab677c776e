"""The checks Telegram applies to what a bot sends: text, keyboards, inline results, commands."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fakeapi.errors import TEXT_EMPTY, TEXT_TOO_LONG, ApiError, bad_request
from fakeapi.html import parse_html
from fakeapi.links import check_link
from fakeapi.text import Entity, finish, sort_entities, utf16_len

log = logging.getLogger("fakeapi")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID = 64
MAX_COMMANDS = 100

# Action fields of an InlineKeyboardButton; a button needs exactly one.
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")


def load_json(raw: Any, error: str) -> Any:
    """A JSON-typed parameter: PTB sends it as a JSON string, a JSON body sends it inline."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request(error) from None


def _check_utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("strings must be encoded in UTF-8") from None


def _entities_param(raw: Any, text: str) -> list[Entity]:
    value = load_json(raw, "can't parse entities JSON object")
    if not isinstance(value, list):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    out: list[Entity] = []
    for item in value:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: unsupported entity type")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
            raise bad_request("can't parse MessageEntity: offset and length must be Integers")
        if offset + length > size:
            raise bad_request(
                f"entity beginning at UTF-16 offset {offset} ends after the end of the text "
                f"at UTF-16 offset {offset + length}"
            )
        out.append(dict(item))
    return sort_entities(out)


def format_text(
    text: Any,
    parse_mode: Any = None,
    entities: Any = None,
    *,
    limit: int = MAX_TEXT,
    allow_empty: bool = False,
) -> tuple[str, list[Entity]]:
    """Text and entities as Telegram would store them, or the ApiError Telegram answers."""
    if text is None or text == "":
        if allow_empty:
            return "", []
        raise bad_request(TEXT_EMPTY)
    text = str(text)
    _check_utf8(text)
    mode = str(parse_mode or "").lower()
    if mode == "html":
        text, parsed = parse_html(text)
    elif mode in ("markdown", "markdownv2"):
        # Not validated by the fake: the text is stored as sent.
        log.debug("parse_mode %s is not checked by the fake", parse_mode)
        parsed = []
    elif mode:
        raise bad_request("unsupported parse_mode")
    elif entities is not None:
        parsed = _entities_param(entities, text)
    else:
        parsed = []
    text, parsed = finish(text, parsed)
    if not text:
        if allow_empty:
            return "", []
        raise bad_request(TEXT_EMPTY)
    if utf16_len(text) > limit:
        raise bad_request(TEXT_TOO_LONG if limit == MAX_TEXT else "message caption is too long")
    return text, parsed


def _button_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def check_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _button_error('Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Telegram silently keeps the first field; the fake rejects it so the bug shows.
        raise _button_error(
            f"exactly one of the optional fields must be used, got {', '.join(actions)} "
            "(fakeapi is stricter than Telegram here)"
        )
    result = dict(button)
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        checked = check_link(url) if isinstance(url, str) else None
        if checked is None:
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
        result["url"] = checked
    return result


def check_inline_keyboard(markup: dict[str, Any]) -> dict[str, Any]:
    rows = markup.get("inline_keyboard")
    shape_error = 'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(shape_error)
    return {"inline_keyboard": [[check_inline_button(b) for b in row] for row in rows]}


def _check_reply_keyboard(markup: dict[str, Any]) -> dict[str, Any]:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if isinstance(button, dict):
                button = button.get("text")
            if not isinstance(button, str) or not button:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
    return dict(markup)


def check_reply_markup(raw: Any) -> dict[str, Any] | None:
    """The validated reply_markup (URLs normalised) or None when absent."""
    if raw is None or raw == "":
        return None
    error = "can't parse reply keyboard markup JSON object"
    markup = load_json(raw, error)
    if not isinstance(markup, dict):
        raise bad_request(error)
    if "inline_keyboard" in markup:
        return check_inline_keyboard(markup)
    if "keyboard" in markup:
        return _check_reply_keyboard(markup)
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return dict(markup)
    raise bad_request(error)


def check_callback_answer_text(text: Any) -> str | None:
    if text is None:
        return None
    value = str(text)
    if utf16_len(value) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    return value


def _result_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline query result: {reason}")


def check_inline_result(result: Any) -> dict[str, Any]:
    if not isinstance(result, dict):
        raise _result_error("InlineQueryResult must be an Object")
    for field in ("type", "id"):
        if field not in result:
            raise _result_error(f'Can\'t find field "{field}"')
    result_id = result["id"]
    if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID:
        raise bad_request("RESULT_ID_INVALID")
    checked = dict(result)
    if result["type"] == "article":
        for field in ("title", "input_message_content"):
            if field not in result:
                raise _result_error(f'Can\'t find field "{field}"')
    content = result.get("input_message_content")
    if content is not None:
        if not isinstance(content, dict):
            raise _result_error("InputMessageContent must be an Object")
        if "message_text" in content:
            text, entities = format_text(
                content["message_text"], content.get("parse_mode"), content.get("entities")
            )
            checked["input_message_content"] = {
                **content,
                "message_text": text,
                "entities": entities,
            }
    if "reply_markup" in result:
        markup = result["reply_markup"]
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            raise _result_error("reply_markup must be an InlineKeyboardMarkup")
        checked["reply_markup"] = check_inline_keyboard(markup)
    return checked


def check_inline_results(raw: Any) -> list[dict[str, Any]]:
    results = load_json(raw, "can't parse inline query results JSON object")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    checked = [check_inline_result(r) for r in results]
    ids = [r["id"] for r in checked]
    if len(set(ids)) != len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    return checked


def check_commands(raw: Any) -> list[dict[str, str]]:
    commands = load_json(raw, "can't parse commands JSON object")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    out = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        out.append({"command": command, "description": description})
    return out


def check_language_code(raw: Any) -> str:
    code = str(raw or "")
    if code and not _LANGUAGE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code
