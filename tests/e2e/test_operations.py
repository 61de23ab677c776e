"""Operating the bot in polling mode: /metrics and /healthz on METRICS_PORT, JSON logs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    ADMIN_ID,
    BotProcess,
    e2e_corpus,
    free_port,
    fresh_fake,
    port_open,
    wait_until,
)

pytestmark = pytest.mark.e2e

USER = 880_001
tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture(scope="module")
def ops_bot(
    tg: FakeTelegramThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    port = free_port()
    bot = BotProcess(
        tg,
        tmp_path_factory.mktemp("ops-bot"),
        extra_env={"METRICS_PORT": str(port), "LOG_FORMAT": "json"},
    )
    bot.metrics_port = port  # type: ignore[attr-defined]
    e2e_corpus(bot.seeds)
    bot.start()
    wait_until(lambda: port_open(port), 10, "the metrics server")
    yield bot
    assert bot.stop() == 0


def scrape(bot: BotProcess) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = httpx.get(f"http://127.0.0.1:{bot.metrics_port}/metrics", timeout=10)  # type: ignore[attr-defined]
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_healthz_in_polling_mode(ops_bot: BotProcess) -> None:
    answer = httpx.get(f"http://127.0.0.1:{ops_bot.metrics_port}/healthz", timeout=10)  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "ok"


def test_metrics_count_updates_answers_errors_and_database_figures(
    ops_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    before = scrape(ops_bot)
    tg.ask(USER, "/search markets report")
    tg.ask(USER, "markets")
    tg.fail_next("sendMessage", 429, retry_after=1)  # the reply waits and goes again
    tg.ask(USER, "/help", timeout=20)
    after = scrape(ops_bot)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("newsbot_updates_total", kind="message") == 3
    assert grew("newsbot_answer_seconds_count", command="/search") == 1
    assert grew("newsbot_answer_seconds_count", command="/help") == 1
    assert grew("newsbot_search_seconds_count") == 2  # /search and the plain-text search
    assert grew("newsbot_telegram_errors_total", code="429") == 1
    assert after[("newsbot_articles", (("state", "live"),))] == 15
    assert after[("newsbot_database_up", ())] == 1
    assert after[("newsbot_pacing_queue_depth", ())] == 0
    assert after[("newsbot_seed_load_files", (("outcome", "added"),))] == 15
    assert after[("newsbot_seed_load_timestamp_seconds", ())] > 0


def test_stats_show_the_same_counters(ops_bot: BotProcess, tg: FakeTelegramThread) -> None:
    tg.ask(USER, "/latest")
    [stats] = tg.ask(ADMIN_ID, "/stats")
    figures = scrape(ops_bot)
    messages = int(figures[("newsbot_updates_total", (("kind", "message"),))])
    # /stats itself was counted before it answered: the scrape came after, with nothing between.
    assert f"Updates since start: {messages} (message {messages}" in stats.text


def test_json_logs_one_object_a_line_with_the_update(
    ops_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    tg.ask(ADMIN_ID, "/stats")
    lines = [line for line in ops_bot.log().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    [ready] = [r for r in records if r["message"].startswith("bot @")]
    assert "update_id" not in ready
    stats = [r for r in records if r["message"] == f"admin {ADMIN_ID}: /stats"]
    assert stats
    assert stats[-1]["chat_id"] == ADMIN_ID and stats[-1]["command"] == "/stats"
    assert isinstance(stats[-1]["update_id"], int)
    assert tg.token not in ops_bot.log()
