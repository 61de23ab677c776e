"""The fake's whole server-side state, handed to every Bot API method handler."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fakeapi.errors import forbidden, migrated
from fakeapi.faults import Faults
from fakeapi.flood import FloodLimiter
from fakeapi.members import Rosters
from fakeapi.models import ApiCall, Chat, User
from fakeapi.notify import Notifier
from fakeapi.params import Params
from fakeapi.state import State
from fakeapi.updates import UpdateQueue
from fakeapi.webhook import WebhookSender

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]{5,}")
DEFAULT_TOKEN = "5550123456:AAFakeTokenForLocalTests_0123456789abc"


@dataclass
class BotConfig:
    token: str = DEFAULT_TOKEN
    username: str = "newsbot_test_bot"
    first_name: str = "News Bot"
    can_join_groups: bool = True
    # False = privacy mode: in groups the bot only gets commands, replies and mentions.
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = True
    # Only this token is accepted; any other well-formed one gets 401 (like a revoked token).
    strict_token: bool = True

    @property
    def bot_id(self) -> int:
        return int(self.token.split(":", 1)[0])


@dataclass(frozen=True)
class Reply:
    """A handler result with Telegram's optional ``description`` next to ``result``."""

    result: Any
    description: str


Handler = Callable[["Backend", Params], Awaitable[Any]]


class Backend:
    def __init__(self, config: BotConfig, *, first_update_id: int = 700_000_001) -> None:
        if not TOKEN_RE.fullmatch(config.token):
            raise ValueError("token must look like '<digits>:<at least 5 of A-Z a-z 0-9 _ ->'")
        self.config = config
        self.bot_user = User(config.bot_id, config.first_name, config.username, is_bot=True)
        self.state = State(self.bot_user)
        self.rosters = Rosters()  # chat members and forum topics
        self.updates = UpdateQueue(first_update_id)
        self.flood = FloodLimiter()
        self.faults = Faults()
        self.webhook = WebhookSender(self.updates, outage_left=self.faults.outage_left)
        self.calls: deque[ApiCall] = deque(maxlen=100_000)
        self.calls_changed = Notifier()

    def reset(self) -> None:
        """Forget chats, messages, calls, faults; keep the connection and id counters."""
        self.state.reset()
        self.rosters.reset()
        self.updates.reset()
        self.flood.reset()
        self.faults.reset()
        self.calls.clear()
        self.webhook.deliveries.clear()

    def record_call(self, call: ApiCall) -> None:
        self.calls.append(call)
        if call.status == 429:
            self.flood.rejected += 1
        self.calls_changed.notify()

    def bot_json(self) -> dict[str, Any]:
        cfg = self.config
        return {
            **self.bot_user.to_json(),
            "can_join_groups": cfg.can_join_groups,
            "can_read_all_group_messages": cfg.can_read_all_group_messages,
            "supports_inline_queries": cfg.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def target_chat(self, params: Params, *, sending: bool) -> Chat:
        """The chat a call addresses, with the answers Telegram gives for its state."""
        chat = self.state.find_chat(params.chat_id())
        if chat.status == "migrated" and chat.migrate_to is not None:
            raise migrated(chat.migrate_to)
        if sending or chat.status == "deactivated":
            if chat.status == "blocked":
                raise forbidden("bot was blocked by the user")
            if chat.status == "deactivated":
                raise forbidden("user is deactivated")
            if chat.status == "kicked":
                kind = {"supergroup": "supergroup chat", "channel": "channel chat"}.get(
                    chat.type, "group chat"
                )
                raise forbidden(f"bot was kicked from the {kind}")
            if chat.status == "left":
                kind = "channel chat" if chat.type == "channel" else "group chat"
                raise forbidden(f"bot is not a member of the {kind}")
        return chat
