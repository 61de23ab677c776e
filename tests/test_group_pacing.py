"""A group gets at most 20 messages a minute from the bot, replies and digests together, within
the overall budget; other groups and private chats are not held back by it."""

from __future__ import annotations

from typing import Any

from bot.delivery.pacing import BULK, GROUP_PER_MINUTE, PacedRateLimiter

GROUP, OTHER_GROUP, PERSON = -1001234, -1005678, 4242


async def test_a_groups_twenty_a_minute_hold_its_next_message_only() -> None:
    now = [1000.0]
    limiter = PacedRateLimiter(clock=lambda: now[0], chat_interval=0, group_interval=0)
    sent: list[tuple[int, float]] = []

    async def send(chat_id: int, priority: Any = None) -> None:
        async def call() -> bool:
            sent.append((chat_id, now[0]))
            return True

        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, priority)

    for i in range(GROUP_PER_MINUTE):  # replies and digests count alike
        await send(GROUP, BULK if i % 2 else None)
        now[0] += 1.0
    for _ in range(30):
        await send(PERSON)
    for _ in range(GROUP_PER_MINUTE):
        await send(OTHER_GROUP)
    assert limiter.group_wait(GROUP, now[0]) == 1060.0 - now[0]  # the first of the 20 ages out
    assert limiter.group_wait(OTHER_GROUP, now[0]) > 0  # it had its 20 as well
    assert limiter.group_wait(PERSON, now[0]) == 0  # private chats: one a second, not this
    now[0] = 1060.5
    assert limiter.group_wait(GROUP, now[0]) == 0
    await send(GROUP)  # goes at once, no wait left
    assert sent[-1] == (GROUP, 1060.5)
    assert limiter.group_wait(GROUP, now[0]) == 1061.0 - now[0]  # the minute is full again
