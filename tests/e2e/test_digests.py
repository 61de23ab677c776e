"""Daily digests end to end: many subscribers and zones, flood limits, blocked users, crashes."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from fakeapi.chat_events import set_member
from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    BotProcess,
    digests_by_chat,
    e2e_corpus,
    fresh_fake,
    on_fake,
    query_db,
    subscribe_all,
    wait_until,
)

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
# Every one of these local times has passed by 12:30 UTC on the 27th, and it is still the 27th.
ZONES = [
    ("08:00", "Europe/Berlin"),
    ("7am", "new york"),
    ("19:00", "Australia/Sydney"),
    ("20:00", "tokyo"),
    ("10:00", "UTC"),
    ("17:30", "Asia/Kolkata"),
]
ALL_DUE = datetime(2026, 11, 27, 12, 30, tzinfo=UTC)
_ids = itertools.count(500_000)


tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture
def digest_bot(
    tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory, database: dict[str, str]
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("digest-bot"), extra_env=database)
    e2e_corpus(bot.seeds)
    bot.set_clock(START)
    bot.start()
    yield bot
    tg.set_flood_limit(False)
    bot.stop()


def average_rate(times: list[float]) -> float:
    """Messages a second from the first send to the last."""
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def busiest(times: list[float], window: float) -> int:
    """The most sends in any `window` seconds."""
    return max((sum(1 for u in times if t <= u < t + window) for t in times), default=0)


def subscribe_many(tg: FakeTelegramThread, count: int) -> list[int]:
    """`count` users subscribe at once, across the zones; returns their chat ids."""
    chats = [next(_ids) for _ in range(count)]
    subscribe_all(tg, chats, (f"/subscribe {at} {zone}" for at, zone in itertools.cycle(ZONES)))
    return chats


def test_subscribe_confirms_the_next_digest_in_local_time(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chat = next(_ids)
    [reply] = tg.ask(chat, "/subscribe 7:30 berlin")
    assert "every day at 07:30 (Europe/Berlin)" in reply.text
    assert "Next one: Fri 27 Nov at 07:30 CET" in reply.text  # 06:00 in Berlin now: today
    [reply] = tg.ask(chat, "/subscribe 19:00")
    assert reply.text.startswith("🔔 Updated!") and "Fri 27 Nov at 19:00 CET" in reply.text
    [ambiguous] = tg.ask(chat, "/subscribe 8:00 nissau")
    assert "Africa/Bissau" in ambiguous.text and "America/Nassau" in ambiguous.text
    [unknown] = tg.ask(chat, "/subscribe 8:00 Mars/Base")
    assert "I don't know the timezone" in unknown.text and "Europe/Berlin" in unknown.text
    [offset] = tg.ask(chat, "/subscribe 19:00 UTC+3")  # an offset, shown the way it was meant
    assert "every day at 19:00 (UTC+3)" in offset.text
    assert "Fri 27 Nov at 19:00 UTC+3" in offset.text
    [country] = tg.ask(chat, "/subscribe 19:00 germany")
    assert "(Europe/Berlin)" in country.text
    [settings] = tg.ask(chat, "/settings")
    assert "Time: 19:00" in settings.text and "Timezone: Europe/Berlin" in settings.text
    mark = tg.mark()
    tg.press_button(settings.message_id, settings.button("10 stories").callback_data or "",
                    user_id=chat)  # fmt: skip
    edited = tg.wait_for_edit(chat, settings.message_id, after=mark)
    assert "Stories: 10" in edited.text and edited.button("✓ 10 stories")  # the choice shows
    # Timezone and topics by answering the bot's question.
    mark = tg.mark()
    tg.press_button(settings.message_id, settings.button("Timezone").callback_data or "",
                    user_id=chat)  # fmt: skip
    [question] = tg.wait_for_messages(chat, 1, after=mark)
    assert (question.reply_markup or {}).get("force_reply") is True
    [card] = tg.ask(chat, "tokio", reply_to_message_id=question.message_id)
    assert "Timezone: Asia/Tokyo" in card.text
    mark = tg.mark()
    tg.press_button(card.message_id, card.button("Topics").callback_data or "", user_id=chat)
    [question] = tg.wait_for_messages(chat, 1, after=mark)
    [card] = tg.ask(chat, "markets, syria", reply_to_message_id=question.message_id)
    assert "Topics: Markets, Syria" in card.text  # as the articles spell them
    [preview] = tg.ask(chat, "/digest")
    assert "Markets report" in preview.text and "parliament" not in preview.text
    mark = tg.mark()  # an answered question is closed: ask again
    tg.press_button(card.message_id, card.button("Topics").callback_data or "", user_id=chat)
    [question] = tg.wait_for_messages(chat, 1, after=mark)
    [card] = tg.ask(chat, "all", reply_to_message_id=question.message_id)
    assert "Topics: all (no filter)" in card.text
    [preview] = tg.ask(chat, "/digest")
    assert preview.text.startswith("👀 Digest preview") and "and 5 more: /latest" in preview.text
    assert "not subscribed" not in preview.text
    [bye] = tg.ask(chat, "/unsubscribe")
    assert "Unsubscribed" in bye.text
    [preview] = tg.ask(chat, "/digest")  # still previewed, and says none will come
    assert "🔕 You are not subscribed: /subscribe 7:30 sends it every day." in preview.text
    [again] = tg.ask(chat, "/unsubscribe")
    assert again.text == "Your digest is already off. /subscribe brings it back."
    [never] = tg.ask(next(_ids), "/unsubscribe")
    assert never.text == "You have no daily digest. /subscribe starts one."
    [after] = tg.ask(chat, "/settings")
    assert "Status: off" in after.text and "Time: 19:00" in after.text  # settings kept


def test_a_new_time_after_todays_digest_promises_tomorrows(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chat = next(_ids)
    [reply] = tg.ask(chat, "/subscribe 06:00 UTC")
    assert "Next one: Fri 27 Nov at 06:00 UTC" in reply.text
    mark = tg.mark()
    digest_bot.set_clock(START.replace(hour=6, minute=30))
    wait_until(lambda: digests_by_chat(tg, mark) == {chat: 1}, 30, "today's digest")
    # 11:00 is still ahead today, but today's digest has gone out: one a day.
    [reply] = tg.ask(chat, "/subscribe 11:00")
    assert "Next one: Sat 28 Nov at 11:00 UTC" in reply.text
    [settings] = tg.ask(chat, "/settings")
    mark = tg.mark()
    tg.press_button(settings.message_id, settings.button("Timezone").callback_data or "",
                    user_id=chat)  # fmt: skip
    [question] = tg.wait_for_messages(chat, 1, after=mark)
    tg.ask(chat, "london", reply_to_message_id=question.message_id)
    [(due,)] = query_db(digest_bot, "SELECT next_due_date FROM subscribers WHERE chat_id = ?", chat)
    assert str(due) == "2026-11-28"


@pytest.mark.slow  # over 20 s: left out of the quick loop (-m 'not slow')
def test_two_hundred_subscribers_in_six_zones_get_exactly_one_digest(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chats = subscribe_many(tg, 200)
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE)  # the bot was "down" all morning: everyone is due now
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 200, 90, "200 digests")
    time.sleep(3)  # three more ticks: nobody may get a second one
    received = digests_by_chat(tg, mark)
    assert set(received) == set(chats)
    assert set(received.values()) == {1}
    sample = next(m for m in tg.messages(chats[0], after=mark) if m.text.startswith("🗞"))
    assert "Fri 27 Nov 2026" in sample.text and "and 10 more: /latest" in sample.text
    assert len(sample.all_buttons) == 5
    rows = query_db(digest_bot, "SELECT status, count(*) FROM deliveries GROUP BY status")
    assert dict(rows) == {"sent": 200}
    # The next day there is nothing new: no message at all, and the ledger says so.
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE + timedelta(days=1))
    wait_until(
        lambda: (
            query_db(digest_bot, "SELECT count(*) FROM deliveries WHERE status='empty'")[0][0]
            == 200
        ),
        60,
        "200 empty days",
    )
    assert digests_by_chat(tg, mark) == {}


@pytest.mark.slow  # over 20 s: left out of the quick loop (-m 'not slow')
def test_flood_limits_and_429s_lose_nothing(digest_bot: BotProcess, tg: FakeTelegramThread) -> None:
    chats = subscribe_many(tg, 120)
    tg.set_flood_limit(True)
    since = time.monotonic()
    rejected_before = tg.rate_stats().rejected_429
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", count=3, retry_after=2)
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE)
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 120, 90, "120 digests")
    time.sleep(2)
    received = digests_by_chat(tg, mark)
    assert set(received) == set(chats) and set(received.values()) == {1}
    stats = tg.rate_stats()
    sends = sorted(t for times in stats.times.values() for t in times if t >= since)
    # Only the injected ones: the fake's own flood limit never tripped.
    assert stats.rejected_429 - rejected_before == 3
    # Sent evenly at 29 a second; arrivals jitter a little (the network, the event loop), so
    # the rate is checked as an average over the run: under 30 a second.
    assert average_rate(sends) <= 30
    got = stats.rejected_429 - rejected_before
    print(
        f"\n429s: {got} (3 injected); busiest 1 s: {busiest(sends, 1.0)}, "
        f"5 s: {busiest(sends, 5.0)}"
    )


def test_blocked_users_are_deactivated_after_one_403(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chats = subscribe_many(tg, 20)
    blocked = chats[:5]
    for chat in blocked:
        tg.block(chat)
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE)
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 15, 60, "15 digests")
    time.sleep(3)  # more ticks: the blocked are not tried again
    for chat in blocked:
        attempts = [c for c in tg.calls("sendMessage") if c.params.get("chat_id") == str(chat)]
        assert len([c for c in attempts if c.status == 403]) == 1
    inactive = query_db(
        digest_bot, "SELECT chat_id, inactive_reason FROM subscribers WHERE NOT active"
    )
    assert {chat for chat, _ in inactive} == set(blocked)
    assert all("blocked" in reason for _, reason in inactive)
    # Coming back with /start brings the digest back, with the old settings.
    tg.unblock(blocked[0])
    tg.ask(blocked[0], "/start")
    [(active, minute)] = query_db(
        digest_bot, "SELECT active, delivery_minute FROM subscribers WHERE chat_id = ?", blocked[0]
    )
    assert active == 1 and minute == 8 * 60


@pytest.mark.slow  # over 20 s: left out of the quick loop (-m 'not slow')
def test_a_crash_mid_run_repeats_at_most_the_digests_in_flight(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chats = subscribe_many(tg, 300)
    tg.set_flood_limit(True)  # about 30 a second: the run takes ten seconds, time to crash it
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE)
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 80, 60, "80 digests before the kill")
    digest_bot.kill()
    before_restart = digests_by_chat(tg, mark)
    claimed = {
        chat
        for (chat,) in query_db(
            digest_bot,
            "SELECT s.chat_id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id "
            "WHERE d.status = 'sending'",
        )
    }
    # In flight: Telegram took the message but the ledger had not recorded it yet.
    in_flight = len(claimed & set(before_restart))
    digest_bot.start()
    # Claims of the dead process are taken over once its heartbeat is stale (three ticks, ten
    # seconds at least): move the clock on rather than wait.
    digest_bot.set_clock(ALL_DUE + timedelta(minutes=3))
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 300, 90, "every subscriber's digest")
    time.sleep(3)
    received = digests_by_chat(tg, mark)
    duplicates = sum(n - 1 for n in received.values())
    print(
        f"\nkilled after {len(before_restart)} digests; claimed and unfinished: {len(claimed)}; "
        f"sent but unrecorded (in flight): {in_flight}; "
        f"duplicates after restart: {duplicates}; delivered: {len(received)}/300"
    )
    assert set(received) == set(chats)  # nobody missed
    assert duplicates <= in_flight  # only what was in flight may repeat
    rows = query_db(digest_bot, "SELECT status, count(*) FROM deliveries GROUP BY status")
    assert dict(rows) == {"sent": 300}


def test_a_group_that_became_a_supergroup_gets_its_digest_there(
    digest_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    group = tg.add_group(title="Readers")["id"]
    mark = tg.mark()
    admin = next(_ids)
    tg.send_group_message(group, admin, "/subscribe 08:00 Europe/Berlin")
    assert "Only group admins" in tg.wait_for_messages(group, 1, after=mark)[0].text
    on_fake(tg, set_member, group, admin, "administrator")
    mark = tg.mark()
    tg.send_group_message(group, admin, "/subscribe 08:00 Europe/Berlin")
    [confirmed] = tg.wait_for_messages(group, 1, after=mark)
    assert confirmed.text.startswith("🔔 Subscribed!")
    supergroup = tg.migrate(group)
    mark = tg.mark()
    digest_bot.set_clock(ALL_DUE)
    wait_until(lambda: digests_by_chat(tg, mark).get(supergroup) == 1, 60, "the digest")
    assert group not in digests_by_chat(tg, mark)
    [(chat_id, active)] = query_db(digest_bot, "SELECT chat_id, active FROM subscribers")
    assert chat_id == supergroup and active
