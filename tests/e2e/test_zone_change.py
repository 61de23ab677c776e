"""A change of timezone keeps the one-digest-a-day rule per local date of the zone the digest
is for, an empty digest says why; an article's source link, and one withdrawn meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    ADMIN_ID,
    BotProcess,
    e2e_corpus,
    fresh_fake,
    query_db,
    wait_until,
    write_json_article,
)

pytestmark = pytest.mark.e2e

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)

NEXT_DUE = "SELECT next_due_date FROM subscribers WHERE chat_id = ?"
# Sunday 29 Nov 2026, 23:50 in Tokyo (14:50 UTC).
SUNDAY = datetime(2026, 11, 29, 14, 50, tzinfo=UTC)


@pytest.fixture
def clock_bot(
    tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory, database: dict[str, str]
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("new-user-bot"), extra_env=database)
    e2e_corpus(bot.seeds)
    write_json_article(
        bot.seeds,
        "sourced",
        title="Zeppelin lands in the harbour",
        body="A zeppelin landed in the harbour on Sunday.\n\nCrowds watched it.",
        published_at="2026-11-28T09:00:00Z",
        source="Harbour Times",
        url="https://news.example.org/zeppelin?id=1&x=2",
    )
    bot.set_clock(SUNDAY)
    bot.start()
    yield bot
    bot.stop()


def test_a_change_of_zone_skips_no_day(clock_bot: BotProcess, tg: FakeTelegramThread) -> None:
    chat = 710_001
    [reply] = tg.ask(chat, "/subscribe 0:03 tokyo")
    assert "Next one: Mon 30 Nov at 00:03 JST" in reply.text
    mark = tg.mark()
    clock_bot.set_clock(SUNDAY.replace(hour=15, minute=4))  # Mon 00:04 in Tokyo
    wait_until(
        lambda: any(m.text.startswith("🗞") for m in tg.messages(chat, after=mark)), 30, "digest"
    )
    # Recorded (and Tuesday's Tokyo digest scheduled) before the change: a change made while
    # the runner records a digest is overwritten by it (a race of the runner's, not this test's).
    wait_until(
        lambda: [str(d) for (d,) in query_db(clock_bot, NEXT_DUE, chat)] == ["2026-12-01"],
        30,
        "the digest recorded",
    )
    clock_bot.set_clock(SUNDAY.replace(hour=15, minute=10))  # Sun 16:10 in Berlin
    [reply] = tg.ask(chat, "/subscribe 8:00 Berlin")
    assert "Next one: Mon 30 Nov at 08:00 CET" in reply.text, reply.text
    # Monday 08:01 in Berlin: Monday's Berlin digest is claimed beside Monday's Tokyo one.
    clock_bot.set_clock(datetime(2026, 11, 30, 7, 1, tzinfo=UTC))

    def days() -> list[tuple[str, str]]:
        rows = query_db(
            clock_bot,
            "SELECT d.local_date, d.timezone FROM deliveries d JOIN subscribers s "
            "ON s.id = d.subscriber_id WHERE s.chat_id = ? AND d.status IN ('sent', 'empty')",
            chat,
        )
        return sorted((str(day), zone) for day, zone in rows)

    wait_until(lambda: len(days()) == 2, 30, "Monday's Berlin digest")
    assert days() == [("2026-11-30", "Asia/Tokyo"), ("2026-11-30", "Europe/Berlin")]
    # Someone who never had a digest is told why theirs would be empty.
    clock_bot.set_clock(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    [empty] = tg.ask(710_002, "/digest")
    assert "no articles were added in the last 24 hours" in empty.text


def test_the_source_link_and_a_withdrawn_article(
    clock_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chat = 710_003
    [found] = tg.ask(chat, "/search zeppelin harbour")
    mark = tg.mark()
    tg.press_button(found.message_id, found.button("1. Summary").callback_data or "", user_id=chat)
    [summary] = tg.wait_for_messages(chat, 1, after=mark)
    assert summary.button("Read at the source").url == "https://news.example.org/zeppelin?id=1&x=2"
    [full] = tg.ask(chat, "/article zeppelin harbour")
    links = [e.get("url") for e in full.entities if e["type"] == "text_link"]
    assert "Read at the source" in full.text
    assert links == ["https://news.example.org/zeppelin?id=1&x=2"]
    # The seed goes, a reload retracts it: its old button says so, not that an id was typed.
    (clock_bot.seeds / "sourced.json").unlink()
    mark = tg.mark()
    tg.send_message(ADMIN_ID, "/reload")
    wait_until(
        lambda: (
            any(m.text.startswith("✅") for m in tg.messages(ADMIN_ID, after=mark))
            or any(
                v.text.startswith("✅")
                for m in tg.messages(ADMIN_ID, after=mark)
                for v in [tg.message(ADMIN_ID, m.message_id)]
            )
        ),
        60,
        "the reload report",
    )
    mark = tg.mark()
    tg.press_button(found.message_id, found.button("1. Summary").callback_data or "", user_id=chat)
    [gone] = tg.wait_for_messages(chat, 1, after=mark)
    assert gone.text == "This article has been withdrawn. /latest shows the newest ones."
