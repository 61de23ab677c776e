"""One declaration per command: its name, handler, menu and help texts, and who may use it.

The table itself is `handlers.COMMANDS` (it names the handlers); from it come the handler
registration, the command menus in every language (bot/application.py) and /help.
Texts are English msgids, marked with `N_` for extraction and translated where shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from bot.search.text import typo_budget

# A number typed onto a command (`/latest10`, `/lates5`).
_STUCK_NUMBER = re.compile(r"(\D+?)(\d+)")
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


def closest_command(typed: str, names: Sequence[str]) -> str | None:
    """The command `typed` (without its slash) most likely meant: the only one it begins
    (`lat`), else the only nearest within the search's typo budget (`lates`, `serch`); None
    when none or several are."""
    typed = typed.casefold()
    if not typed:
        return None
    begun = [name for name in names if name.startswith(typed)]
    if len(begun) == 1:
        return begun[0]
    budget = typo_budget(typed)
    near = [(OSA.distance(typed, name), name) for name in names]
    near = [(distance, name) for distance, name in near if distance <= budget]
    if not near:
        return None
    best = min(distance for distance, _ in near)
    nearest = [name for distance, name in near if distance == best]
    return nearest[0] if len(nearest) == 1 else None


def meant_command(typed: str, names: Sequence[str]) -> tuple[str, str] | None:
    """The command `typed` meant and any number typed onto it (`latest10` -> `latest`, `10`),
    as `closest_command` finds it; None when it cannot tell."""
    stuck = _STUCK_NUMBER.fullmatch(typed)
    if stuck and (meant := closest_command(stuck[1], names)) is not None:
        return meant, stuck[2]
    meant = closest_command(typed, names)
    return (meant, "") if meant is not None else None
