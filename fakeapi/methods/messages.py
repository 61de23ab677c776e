"""Sending, editing and deleting messages; chat actions."""

from __future__ import annotations

from typing import Any

from fakeapi.backend import Backend
from fakeapi.errors import NOT_MODIFIED, bad_request
from fakeapi.limits import MAX_CAPTION, check_reply_markup, format_text, load_json
from fakeapi.methods.chats import thread_of_send
from fakeapi.models import JSON, Chat, StoredMessage
from fakeapi.params import Params

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _reply_to(b: Backend, p: Params, chat: Chat) -> int | None:
    """The replied-to message id from reply_parameters (or the legacy fields)."""
    reply: Any = p.get_json("reply_parameters", "can't parse reply parameters JSON object")
    if reply is None and p.has("reply_to_message_id"):
        reply = {
            "message_id": p.get_int("reply_to_message_id"),
            "allow_sending_without_reply": p.get_bool("allow_sending_without_reply"),
        }
    if reply is None:
        return None
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    message_id = int(reply.get("message_id") or 0)
    if b.state.get_message(chat.id, message_id) is not None:
        return message_id
    if reply.get("allow_sending_without_reply"):
        return None
    raise bad_request("message to be replied not found")


def _link_preview(p: Params) -> None:
    # Only validated: the fake has no previews to show.
    load_json(p.raw("link_preview_options"), "can't parse link preview options JSON object")


async def send_message(b: Backend, p: Params) -> JSON:
    chat = b.target_chat(p, sending=True)
    text, entities = format_text(p.raw("text"), p.raw("parse_mode"), p.raw("entities"))
    markup = check_reply_markup(p.raw("reply_markup"))
    _link_preview(p)
    reply_to = _reply_to(b, p, chat)
    thread = thread_of_send(b, p, chat)
    paid = p.get_bool("allow_paid_broadcast")
    b.flood.check(chat.id, chat.type, paid)
    message = b.state.add_message(
        chat,
        b.bot_user,
        text,
        entities,
        parse_mode=p.get_str("parse_mode"),
        reply_markup=markup,
        reply_to=reply_to,
        extra=thread,
    )
    b.flood.record(chat.id, chat.type, paid)
    return b.state.message_json(message)


async def send_photo(b: Backend, p: Params) -> JSON:
    chat = b.target_chat(p, sending=True)
    if not p.has("photo"):
        raise bad_request("there is no photo in the request")
    caption, entities = format_text(
        p.raw("caption"),
        p.raw("parse_mode"),
        p.raw("caption_entities"),
        limit=MAX_CAPTION,
        allow_empty=True,
    )
    markup = check_reply_markup(p.raw("reply_markup"))
    reply_to = _reply_to(b, p, chat)
    paid = p.get_bool("allow_paid_broadcast")
    b.flood.check(chat.id, chat.type, paid)
    file_id = f"AgACAgIAAxkBAAI{b.state.seq:08d}fake"
    photo = [
        {
            "file_id": file_id,
            "file_unique_id": f"AQAD{b.state.seq:08d}",
            "width": 1280,
            "height": 720,
        }
    ]
    message = b.state.add_message(
        chat,
        b.bot_user,
        caption,
        entities,
        parse_mode=p.get_str("parse_mode"),
        reply_markup=markup,
        reply_to=reply_to,
        kind="photo",
        extra={"photo": photo},
    )
    b.flood.record(chat.id, chat.type, paid)
    return b.state.message_json(message)


def _edit_target(b: Backend, p: Params) -> tuple[StoredMessage, bool]:
    """The message an edit addresses and whether it was addressed by inline_message_id."""
    if p.has("inline_message_id"):
        message = b.state.inline_message(p.get_str("inline_message_id") or "")
        if message is None:
            raise bad_request("MESSAGE_ID_INVALID")
        return message, True
    chat = b.target_chat(p, sending=False)
    message_id = p.get_int("message_id")
    if message_id <= 0:
        raise bad_request("message identifier is not specified")
    found = b.state.get_message(chat.id, message_id)
    if found is None:
        raise bad_request("message to edit not found")
    if not found.from_bot:
        raise bad_request("message can't be edited")
    return found, False


def _edit_markup(p: Params) -> JSON | None:
    markup = check_reply_markup(p.raw("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def _edited(b: Backend, message: StoredMessage, inline: bool) -> JSON | bool:
    return True if inline else b.state.message_json(message)


async def edit_message_text(b: Backend, p: Params) -> JSON | bool:
    message, inline = _edit_target(b, p)
    text, entities = format_text(p.raw("text"), p.raw("parse_mode"), p.raw("entities"))
    entities = b.state.resolve_mentions(entities)
    markup = _edit_markup(p)
    _link_preview(p)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    # No reply_markup in an edit removes the keyboard, as on Telegram.
    if (
        text == message.text
        and entities == message.entities
        and markup == message.inline_keyboard()
    ):
        raise bad_request(NOT_MODIFIED)
    b.state.edit_message(
        message,
        text=text,
        entities=entities,
        parse_mode=p.get_str("parse_mode"),
        reply_markup=markup,
    )
    return _edited(b, message, inline)


async def edit_message_caption(b: Backend, p: Params) -> JSON | bool:
    message, inline = _edit_target(b, p)
    caption, entities = format_text(
        p.raw("caption"),
        p.raw("parse_mode"),
        p.raw("caption_entities"),
        limit=MAX_CAPTION,
        allow_empty=True,
    )
    entities = b.state.resolve_mentions(entities)
    markup = _edit_markup(p)
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    same = caption == message.text and entities == message.entities
    if same and markup == message.inline_keyboard():
        raise bad_request(NOT_MODIFIED)
    b.state.edit_message(
        message,
        text=caption,
        entities=entities,
        parse_mode=p.get_str("parse_mode"),
        reply_markup=markup,
    )
    return _edited(b, message, inline)


async def edit_message_reply_markup(b: Backend, p: Params) -> JSON | bool:
    message, inline = _edit_target(b, p)
    markup = _edit_markup(p)
    if markup == message.inline_keyboard():
        raise bad_request(NOT_MODIFIED)
    b.state.edit_message(message, reply_markup=markup)
    return _edited(b, message, inline)


async def delete_message(b: Backend, p: Params) -> bool:
    chat = b.target_chat(p, sending=False)
    message = b.state.get_message(chat.id, p.get_int("message_id"))
    if message is None:
        raise bad_request("message to delete not found")
    b.state.delete_message(message)
    return True


async def delete_messages(b: Backend, p: Params) -> bool:
    chat = b.target_chat(p, sending=False)
    ids = p.get_json("message_ids", "can't parse message identifiers JSON object")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers must be a non-empty Array of up to 100 Integers")
    for message_id in ids:
        message = b.state.get_message(chat.id, int(message_id))
        if message is not None:
            b.state.delete_message(message)
    return True


async def send_chat_action(b: Backend, p: Params) -> bool:
    chat = b.target_chat(p, sending=True)
    action = p.get_str("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    b.state.chat_actions.append((chat.id, action, b.state.clock()))
    return True
