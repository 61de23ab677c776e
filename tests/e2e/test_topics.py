"""Topics in any script and of any length, through /latest and its page buttons, on both
databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import BotProcess, fresh_fake, write_json_article

pytestmark = pytest.mark.e2e

CYRILLIC = "Политика"
# Longer than the ▶ button's data could carry as text (64 bytes in all).
LONG_TOPIC = "Международные отношения и мировая политика в Восточной Европе"
LONG_ASCII = "Science and technology news from research laboratories around the world"
TOPICS = {CYRILLIC: 7, LONG_TOPIC: 8, LONG_ASCII: 6, "Markets": 3}

tg = pytest.fixture(scope="module")(fresh_fake)


@pytest.fixture(scope="module")
def topics_bot(
    tg: FakeTelegramThread,
    module_database: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("topics"), extra_env=module_database)
    seeds: Path = bot.seeds
    seeds.mkdir(parents=True)
    for index, (topic, count) in enumerate(TOPICS.items()):
        for n in range(1, count + 1):
            write_json_article(
                seeds,
                f"topic-{index}-{n:02d}",
                title=f"Story {n} of topic {index}",
                body=f"Report {n} on topic number {index}.\n\nIt goes on for a while.",
                published_at=f"2024-0{index + 1}-{n:02d}T09:00:00Z",
                source="Example Wire",
                topics=[topic],
            )
    bot.start()
    yield bot
    bot.stop()


def test_a_topic_in_cyrillic_lists_its_articles(
    topics_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    [reply] = tg.ask(5001, f"/latest {CYRILLIC}")
    assert f"on {CYRILLIC} (1–5 of 7)" in reply.text
    [typed] = tg.ask(5001, "/latest политика")
    assert f"on {CYRILLIC} (1–5 of 7)" in typed.text


@pytest.mark.parametrize(
    ("user", "topic"), [(5002, LONG_TOPIC), (5003, LONG_ASCII)], ids=["cyrillic", "ascii"]
)
def test_page_two_of_a_long_topic_lists_the_rest(
    topics_bot: BotProcess, tg: FakeTelegramThread, user: int, topic: str
) -> None:
    count = TOPICS[topic]
    [page1] = tg.ask(user, f"/latest {topic}")
    assert f"(1–5 of {count})" in page1.text
    mark = tg.mark()
    tg.press_button(page1.message_id, page1.button("▶").callback_data or "", user_id=user)
    page2 = tg.wait_for_edit(user, page1.message_id, after=mark)
    assert f"on {topic} (6–{count} of {count})" in page2.text
    mark = tg.mark()
    tg.press_button(page2.message_id, page2.button("◀").callback_data or "", user_id=user)
    back = tg.wait_for_edit(user, page1.message_id, after=mark)
    assert f"(1–5 of {count})" in back.text
