"""One declaration per command: its name, handler, menu and help texts, and who may use it.

The table itself is `handlers.COMMANDS` (it names the handlers); from it come the handler
registration, the command menus in every language (bot/application.py) and /help.
Texts are English msgids, marked with `N_` for extraction and translated where shown.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

COMMANDS_KEY = "commands"  # bot_data: the registry, for the menus set at start-up
# Where a command is answered (channel posts are not among the updates the bot asks for).
ANY_CHAT = ("private", "group", "supergroup")


def N_(message: str) -> str:
    """Marks a text for the catalogues where no translator is at hand yet (a declaration)."""
    return message


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    callback: Callable[..., Coroutine[Any, Any, None]]
    menu: str  # the command menu's description (Telegram allows 256 characters)
    help: str = ""  # its /help line; "" keeps it out of /help
    examples: tuple[str, ...] = ()  # shown under the /help line, as typed (not translated)
    admin: bool = False  # for the ADMIN_IDS only: in their menu and their /help
    chats: tuple[str, ...] = ANY_CHAT  # the chat types it is answered in
