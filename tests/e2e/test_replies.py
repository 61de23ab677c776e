"""Replies that quote what the user typed, or press buttons with odd data, through the real bot.

However long the text, the reply quotes it cut with an ellipsis and stays inside Telegram's
limits: never "Something went wrong", never a notice to the admins.
"""

from __future__ import annotations

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import ADMIN_ID, BotProcess

pytestmark = pytest.mark.e2e

MAX_MESSAGE = 4096


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/latest " + "x" * 3000, "I have no topic “"),
        ("/latest " + "long words " * 300, "I have no topic “"),
        ("/subscribe 7:00 " + "z" * 4070, "I don't know the timezone “"),
        ("/subscribe " + "9" * 4080, "“"),
        ("/latest " + "9.5" * 1300, "“"),
    ],
    ids=["latest-word", "latest-words", "subscribe-zone", "subscribe-time", "latest-number"],
)
def test_long_user_text_is_quoted_cut_with_an_ellipsis(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int, command: str, expected: str
) -> None:
    tg.ask(ADMIN_ID, "/help")  # the admin's chat is open: a notice would arrive there
    admin_before = len(tg.messages(ADMIN_ID))
    [reply] = tg.ask(user, command[:4096])
    assert expected in reply.text
    assert "…" in reply.text and utf16(reply.text) <= MAX_MESSAGE
    assert not reply.text.startswith("Something went wrong")
    assert len(tg.messages(ADMIN_ID)) == admin_before  # no error notice
