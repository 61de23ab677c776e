"""getMe, commands, chat info and the settings methods that just answer ok."""

from __future__ import annotations

from fakeapi.backend import Backend
from fakeapi.errors import bad_request
from fakeapi.limits import check_commands, check_language_code
from fakeapi.models import JSON
from fakeapi.params import Params


async def get_me(b: Backend, p: Params) -> JSON:
    return b.bot_json()


async def ok(b: Backend, p: Params) -> bool:
    return True


def _scope(b: Backend, p: Params) -> tuple[str, str]:
    scope = p.get_json("scope", "can't parse BotCommandScope JSON object")
    return b.state.scope_key(scope), check_language_code(p.raw("language_code"))


async def set_my_commands(b: Backend, p: Params) -> bool:
    commands = check_commands(p.raw("commands"))
    key = _scope(b, p)
    if commands:
        b.state.commands[key] = commands
    else:
        b.state.commands.pop(key, None)
    b.state.tick()
    return True


async def get_my_commands(b: Backend, p: Params) -> list[dict[str, str]]:
    # Exactly that scope and language: Telegram does not fall back here.
    return list(b.state.commands.get(_scope(b, p), []))


async def delete_my_commands(b: Backend, p: Params) -> bool:
    b.state.commands.pop(_scope(b, p), None)
    b.state.tick()
    return True


async def get_chat(b: Backend, p: Params) -> JSON:
    chat = b.target_chat(p, sending=False)
    gifts = dict.fromkeys(
        (
            "unlimited_gifts",
            "limited_gifts",
            "unique_gifts",
            "premium_subscription",
            "gifts_from_channels",
        ),
        False,
    )
    return {
        **chat.to_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": gifts,
    }


async def leave_chat(b: Backend, p: Params) -> bool:
    chat = b.target_chat(p, sending=False)
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat.status = "left"
    return True


async def get_chat_menu_button(b: Backend, p: Params) -> JSON:
    return {"type": "default"}


async def get_my_name(b: Backend, p: Params) -> JSON:
    return {"name": b.config.first_name}


async def get_my_description(b: Backend, p: Params) -> JSON:
    return {"description": ""}


async def get_my_short_description(b: Backend, p: Params) -> JSON:
    return {"short_description": ""}


# Settings the fake accepts without keeping them.
OK_METHODS: tuple[str, ...] = (
    "logOut",
    "close",
    "setChatMenuButton",
    "setMyName",
    "setMyDescription",
    "setMyShortDescription",
    "setMyDefaultAdministratorRights",
    "setMessageReaction",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
)
