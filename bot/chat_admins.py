"""Who may change a group's or a channel's digest: its administrators, as Telegram says with
getChatMember, remembered for a short while (a busy group must not cost a request a command)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from telegram import Bot, ChatMember, ChatMemberAdministrator, ChatMemberOwner
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

CACHE_SECONDS = 60.0
CACHE_SIZE = 10_000
_ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


class LinkProblem(Enum):
    """Why a channel cannot be linked."""

    NOT_FOUND = "not_found"  # no such chat, or the bot cannot see it
    NOT_A_CHANNEL = "not_a_channel"
    BOT_CANNOT_POST = "bot_cannot_post"
    USER_CANNOT_POST = "user_cannot_post"


@dataclass(frozen=True, slots=True)
class Channel:
    chat_id: int
    title: str


def _may_post(member: ChatMember | None) -> bool:
    if isinstance(member, ChatMemberOwner):
        return True
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


class ChatAdmins:
    def __init__(
        self, bot: Bot, *, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bot = bot
        self.ttl = ttl
        self._now = clock
        self._seen: dict[tuple[int, int], tuple[float, ChatMember | None]] = {}

    async def member(self, chat_id: int, user_id: int) -> ChatMember | None:
        """The user's standing in the chat (None when Telegram will not say); an admin's is
        remembered for `ttl` seconds."""
        now = self._now()
        cached = self._seen.get((chat_id, user_id))
        if cached is not None and cached[0] > now:
            return cached[1]
        found: ChatMember | None
        try:
            found = await self.bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden):  # not a member, member list hidden, chat gone
            found = None
        # Only admins are remembered: someone just promoted is taken at once, while an admin's
        # commands in a busy group cost one request a minute.
        if found is not None and found.status in _ADMINS:
            if len(self._seen) >= CACHE_SIZE:
                self._seen = {k: v for k, v in self._seen.items() if v[0] > now}
            self._seen[(chat_id, user_id)] = (now + self.ttl, found)
        return found

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        member = await self.member(chat_id, user_id)
        return member is not None and member.status in _ADMINS

    def forget(self, chat_id: int) -> None:
        """The bot's standing there changed: ask again next time."""
        self._seen = {k: v for k, v in self._seen.items() if k[0] != chat_id}

    async def check_channel(self, chat_ref: int | str, user_id: int) -> Channel | LinkProblem:
        """A channel both the user and the bot may post in, or why not."""
        try:
            chat = await self.bot.get_chat(chat_ref)
        except (BadRequest, Forbidden):
            return LinkProblem.NOT_FOUND
        if chat.type != ChatType.CHANNEL:
            return LinkProblem.NOT_A_CHANNEL
        self.forget(chat.id)  # linking must see today's rights, not a minute-old answer
        if not _may_post(await self.member(chat.id, self.bot.id)):
            return LinkProblem.BOT_CANNOT_POST
        if not _may_post(await self.member(chat.id, user_id)):
            return LinkProblem.USER_CANNOT_POST
        return Channel(chat.id, chat.title or "")

    async def may_manage_channel(self, chat_id: int, user_id: int) -> bool:
        return _may_post(await self.member(chat_id, user_id))
