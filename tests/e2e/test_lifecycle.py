"""Webhook mode, health checks and stopping cleanly on SIGTERM."""

from __future__ import annotations

import itertools
import json
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    WEBHOOK_SECRET,
    BotProcess,
    digests_by_chat,
    e2e_corpus,
    fresh_fake,
    query_db,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]  # outages, storms, crashes: minutes

_ids = itertools.count(800_000)


tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture
def webhook_bot(
    tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory, database: dict[str, str]
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("webhook-bot"), extra_env=database, mode="webhook")
    e2e_corpus(bot.seeds)
    bot.start()
    yield bot
    tg.set_flood_limit(False)
    bot.stop()


def start_update(user: int, update_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user, "type": "private", "first_name": "Eve"},
            "from": {"id": user, "is_bot": False, "first_name": "Eve"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def test_webhook_registers_with_the_secret_and_serves_updates(
    webhook_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    info = tg.webhook_info()
    assert info["url"].startswith("http://127.0.0.1:")
    [reply] = tg.ask(next(_ids), "/start")
    assert reply.text.startswith("👋")
    assert all(d.status == 200 for d in tg.webhook_deliveries())


def test_a_post_without_the_secret_gets_403_and_is_not_processed(
    webhook_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    url = webhook_bot.webhook_env()["WEBHOOK_URL"]
    intruder = next(_ids)
    tg.ask(intruder, "/help")  # Telegram knows the chat: the bot could answer in it
    mark = tg.mark()
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        answer = httpx.post(url, content=json.dumps(start_update(intruder, 10**9)), headers=headers)
        assert answer.status_code == 403
    time.sleep(1)
    assert not tg.messages(intruder, after=mark)
    # The same update with the secret is processed.
    answer = httpx.post(
        url,
        content=json.dumps(start_update(intruder, 10**9 + 1)),
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
    )
    assert answer.status_code == 200
    [reply] = tg.wait_for_messages(intruder, 1, after=mark)
    assert reply.text.startswith("👋 Hi Eve!")


def test_healthz_reports_database_scheduler_and_tick(webhook_bot: BotProcess) -> None:
    answer = httpx.get(webhook_bot.health_url)
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    wait_until(lambda: "last_tick" in httpx.get(webhook_bot.health_url).json(), 10, "a tick")


def test_sigterm_finishes_what_is_in_flight_and_exits_0_quickly(
    webhook_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    chats = [next(_ids) for _ in range(150)]
    mark = tg.mark()
    for chat in chats:
        tg.send_message(chat, "/subscribe 06:00 UTC")
    for chat in chats:
        tg.wait_for_messages(chat, 1, after=mark, timeout=60)
    tg.set_flood_limit(True)
    mark = tg.mark()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    webhook_bot.set_clock(tomorrow.replace(hour=7, minute=0))  # everyone's 06:00 has passed
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 30, 60, "30 digests")
    assert webhook_bot.process is not None
    log_before = len(webhook_bot.log())
    stopped_at = time.monotonic()
    webhook_bot.process.send_signal(signal.SIGTERM)
    code = webhook_bot.process.wait(timeout=15)
    took = time.monotonic() - stopped_at
    delivered = digests_by_chat(tg, mark)
    print(f"\nSIGTERM after {len(delivered)} digests: exit {code} in {took:.1f} s")
    assert code == 0 and took < 10
    shutdown_log = webhook_bot.log()[log_before:]
    assert " ERROR " not in shutdown_log and "Traceback" not in shutdown_log  # a normal stop
    # Everything Telegram accepted is recorded; nothing is left half-claimed.
    rows = dict(query_db(webhook_bot, "SELECT status, count(*) FROM deliveries GROUP BY status"))
    assert rows.get("sending", 0) == 0
    assert rows.get("sent", 0) == len(delivered)
    # After a restart the rest go out, and nobody gets two.
    webhook_bot.start()
    wait_until(lambda: len(digests_by_chat(tg, mark)) >= 150, 60, "all 150 digests")
    time.sleep(2)
    received = digests_by_chat(tg, mark)
    assert set(received) == set(chats) and set(received.values()) == {1}
