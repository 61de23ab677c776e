"""Alerts end to end: `run_bot.py feeds add` and a poll, to an alert and a digest in the chat;
the hourly cap, quiet hours, a restart and a second instance. The real bot process, the fake
Bot API and a feed server on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import BotProcess, fresh_fake, query_db, wait_until
from tests.feeds.documents import Story, long_body, rss2
from tests.feeds.server import FeedServer, Route
from tests.feeds.test_e2e import run_cli

pytestmark = pytest.mark.e2e
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FEED = "/wire.xml"
_ids = itertools.count(930_000)

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


class Wire:
    """The feed the tests publish to: every story so far, newest first, as a real feed is."""

    def __init__(self, server: FeedServer) -> None:
        self.server = server
        self.stories: list[Story] = []
        self.url = ""

    def publish(self, *titles: str, topic: str = "", categories: tuple[str, ...] = ()) -> None:
        for title in titles:
            guid = f"story-{len(self.stories)}"
            body = long_body(topic or title.lower())
            self.stories.insert(0, Story(title, body, link=self.server.url(f"/{guid}"), guid=guid,
                                         categories=list(categories)))  # fmt: skip
        self.url = self.server.route(FEED, Route(rss2("City Wire", "/", self.stories)))


@pytest.fixture(scope="module")
def wire(module_database: dict[str, str]) -> Iterator[Wire]:
    """A fresh feed for each database's bot."""
    with FeedServer() as server:
        yield Wire(server)


@pytest.fixture(scope="module")
def alert_bot(
    tg: FakeTelegramThread,
    wire: Wire,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[BotProcess]:
    workdir: Path = tmp_path_factory.mktemp("alert-bot")
    bot = BotProcess(tg, workdir, extra_env=module_database, mode="webhook")
    bot.seeds.mkdir(parents=True, exist_ok=True)
    bot.set_clock(START)
    wire.publish("Harbour opens new pier", categories=("Harbour",))
    added = run_cli(bot, "feeds", "add", wire.url)
    assert added.returncode == 0 and "Feed #1 added" in added.stdout, added.stderr
    bot.start()  # polls the feed at start-up: the harbour topic exists from then on
    wait_until(lambda: _count(bot, "SELECT count(*) FROM articles") == 1, 90, "the first item")
    yield bot
    bot.stop()


def _count(bot: BotProcess, sql: str, *args: object) -> int:
    return int(query_db(bot, sql, *args)[0][0])


def _poll(bot: BotProcess) -> None:
    """Another process polls (as `feeds poll` from cron would): the bot finds the articles."""
    polled = run_cli(bot, "feeds", "poll")
    assert polled.returncode == 0, polled.stderr


def _alerts(
    tg: FakeTelegramThread, chat: int, after: int = 0, *, any_language: bool = False
) -> list[str]:
    """The alert messages (whose heading names the new stories) sent to the chat."""
    return [
        m.text for m in tg.messages(chat, after=after)
        if m.text.startswith("🔔")
        and (any_language or "on what you follow" in m.text.split("\n")[0])
    ]  # fmt: skip


def _settled(bot: BotProcess, *chats: int) -> None:
    """Wait until none of these chats' alerts is left pending (while the chat takes them), then
    a few ticks (one a second) more: anything sent twice would be sent by then. Other tests'
    chats are left out: a capped chat may rightly hold its stories for the next hour."""
    marks = ", ".join("?" * len(chats))
    pending = (
        "SELECT i.chat_id, i.article_id, i.matched_at FROM alert_items i JOIN alert_chats c ON "
        "c.chat_id = i.chat_id WHERE i.status = 'pending' AND c.active AND i.chat_id IN "
        f"({marks})"
    )
    try:
        wait_until(lambda: not query_db(bot, pending, *chats), 30, "the alerts to go out")
    except TimeoutError as timeout:
        log = bot.log().splitlines()[-40:]
        raise TimeoutError(
            f"{timeout}; still pending: {query_db(bot, pending, *chats)}; the bot's log ends:\n"
            + "\n".join(log)
        ) from None
    time.sleep(3)


def test_followed_word_and_topic_come_as_one_alert_then_in_the_digest(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    chat = next(_ids)
    tg.ask(chat, "/subscribe 10:00 UTC")
    [word] = tg.ask(chat, "/follow elecion")  # a typo: "election" still matches
    assert word.text.startswith("🔔 Following “elecion”")
    [topic] = tg.ask(chat, "/follow topic:harbor")  # the topic as articles spell it
    assert topic.text.startswith("🔔 Following topic “Harbour”")
    [unknown] = tg.ask(chat, "/follow topic:volcanoes")
    assert "No articles have the topic “volcanoes”" in unknown.text
    [card] = tg.ask(chat, "/alerts")
    assert "You follow 2 things" in card.text and "At most 10 stories an hour" in card.text
    mark = tg.mark()
    wire.publish("Election count begins in the valley", topic="the election")
    wire.publish("Crane topples at the docks", categories=("Harbour",))
    wire.publish("Weather turns cold", topic="the weather")
    _poll(alert_bot)
    wait_until(lambda: _alerts(tg, chat, mark), 30, "the alert")
    _settled(alert_bot, chat)
    [alert] = _alerts(tg, chat, mark)  # both in one message, the weather in none
    assert alert.startswith("🔔 2 new stories on what you follow")
    assert "Election count begins" in alert and "Crane topples" in alert
    assert "Weather" not in alert
    # The daily digest has them too.
    mark = tg.mark()
    alert_bot.set_clock(START.replace(hour=10, minute=1))
    wait_until(
        lambda: any(m.text.startswith("🗞") for m in tg.messages(chat, after=mark)), 30, "digest"
    )
    [digest] = [m.text for m in tg.messages(chat, after=mark) if m.text.startswith("🗞")]
    assert "Election count begins" in digest and "Crane topples" in digest


def test_the_hourly_cap_holds_the_rest_back_and_sends_it_in_the_next_hour(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    chat = next(_ids)
    tg.ask(chat, "/follow quarry")
    [card] = tg.ask(chat, "/alerts limit 2")
    assert "At most 2 stories an hour" in card.text
    now = START.replace(hour=10, minute=5)
    alert_bot.set_clock(now)
    mark = tg.mark()
    wire.publish("Quarry plan one", "Quarry plan two", "Quarry plan three", topic="the quarry")
    _poll(alert_bot)
    wait_until(lambda: _alerts(tg, chat, mark), 30, "the capped alert")
    time.sleep(3)  # ticks go on: the cap holds
    [first] = _alerts(tg, chat, mark)
    assert first.startswith("🔔 2 new stories")
    assert "⏳ 1 more is held back by your limit of 2 an hour: it follows at 11:05." in first
    mark = tg.mark()
    alert_bot.set_clock(now + timedelta(hours=1, minutes=1))
    wait_until(lambda: _alerts(tg, chat, mark), 30, "the held alert")
    _settled(alert_bot, chat)
    [second] = _alerts(tg, chat, mark)
    assert second.startswith("🔔 1 new story on what you follow")
    assert "⏳" not in second
    titles = [t for t in ("one", "two", "three") if f"Quarry plan {t}" in first + second]
    assert len(titles) == 3


def test_each_chat_gets_its_alerts_and_answers_in_its_own_language(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    ru, es = next(_ids), next(_ids)
    [followed] = tg.ask(ru, "/follow lighthouse", language_code="ru")
    assert followed.text.startswith("🔔 Теперь вы следите за: «lighthouse»")
    [card] = tg.ask(ru, "/alerts limit 2", language_code="ru")
    assert "Вы следите за 1 словом или темой" in card.text
    assert "Не больше 2 статей в час" in card.text
    [followed] = tg.ask(es, "/follow lighthouse", language_code="es")
    assert followed.text.startswith("🔔 Ahora sigues «lighthouse»")
    [card] = tg.ask(es, "/alerts limit 2", language_code="es-MX")
    assert "Como máximo 2 noticias por hora" in card.text
    mark = tg.mark()
    wire.publish("Lighthouse relit", "Lighthouse keeper returns", "Lighthouse museum opens",
                 topic="the lighthouse")  # fmt: skip
    _poll(alert_bot)
    sent = {}
    for chat in (ru, es):
        wait_until(lambda c=chat: _alerts(tg, c, mark, any_language=True), 30, "the alert")
        [sent[chat]] = _alerts(tg, chat, mark, any_language=True)
    assert sent[ru].startswith("🔔 2 новые статьи о том, за чем вы следите")
    assert "⏳ Ещё 1 статья ждёт из-за вашего лимита (2 в час) и придёт в" in sent[ru]
    assert sent[es].startswith("🔔 2 noticias nuevas sobre lo que sigues")
    assert "⏳ 1 noticia más espera por tu límite de 2 por hora: llegará a las" in sent[es]
    assert "more is held back" not in sent[ru] + sent[es]


def test_quiet_hours_hold_alerts_until_they_end_then_send_them_together(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    chat = next(_ids)
    now = START.replace(hour=13)
    alert_bot.set_clock(now)
    tg.ask(chat, "/subscribe 8:00 Europe/Berlin")  # 14:00 in Berlin now
    tg.ask(chat, "/follow windmill")  # not test 3's word: its capped chats stay out of this
    [card] = tg.ask(chat, "/alerts quiet 13:30-15:00")
    assert "Quiet hours 13:30-15:00 (Europe/Berlin)" in card.text
    mark = tg.mark()
    wire.publish("Windmill keeper retires", "Windmill sails restored", topic="the windmill")
    _poll(alert_bot)
    wait_until(
        lambda: _count(alert_bot, "SELECT count(*) FROM alert_items WHERE chat_id = ?", chat) == 2,
        30, "the matches",
    )  # fmt: skip
    time.sleep(3)  # ticks go on: quiet hours hold
    assert _alerts(tg, chat, mark) == []
    alert_bot.set_clock(now + timedelta(hours=1, minutes=1))  # 15:01 in Berlin
    wait_until(lambda: _alerts(tg, chat, mark), 30, "the alerts after quiet hours")
    _settled(alert_bot, chat)
    [alert] = _alerts(tg, chat, mark)
    assert alert.startswith("🔔 2 new stories")


def test_a_blocked_chat_stops_its_alerts_and_a_migrated_group_gets_them_there(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    reader = next(_ids)
    tg.ask(reader, "/follow glacier")
    group = tg.add_group(title="Glacier watchers")["id"]
    mark = tg.mark()
    tg.send_group_message(group, next(_ids), "/follow glacier")
    [confirmed] = tg.wait_for_messages(group, 1, after=mark)
    assert confirmed.text.startswith("🔔 Following “glacier”")
    tg.block(reader)
    supergroup = tg.migrate(group)
    mark = tg.mark()
    wire.publish("Glacier retreats again", topic="the glacier")
    _poll(alert_bot)
    wait_until(lambda: _alerts(tg, supergroup, mark), 30, "the alert in the supergroup")
    wait_until(
        lambda: _count(alert_bot, "SELECT count(*) FROM alert_chats WHERE chat_id = ? AND NOT "
                                  "active", reader) == 1,
        30, "the blocked reader's alerts to stop",
    )  # fmt: skip
    _settled(alert_bot, reader, supergroup)
    assert len(_alerts(tg, supergroup, mark)) == 1
    assert _count(alert_bot, "SELECT count(*) FROM follows WHERE chat_id = ?", supergroup) == 1
    # Back: following again starts the alerts again, the one held meanwhile first.
    tg.unblock(reader)
    [again] = tg.ask(reader, "/follow glacier")
    assert again.text.startswith("You already follow “glacier”")
    wait_until(lambda: _alerts(tg, reader, mark), 30, "the reader's alert once unblocked")
    assert "Glacier retreats again" in _alerts(tg, reader, mark)[0]


def test_unfollow_by_button_and_nothing_is_sent_twice_across_a_restart(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    chat = next(_ids)
    tg.ask(chat, "/follow ferry, topic:harbour")
    [menu] = tg.ask(chat, "/unfollow")
    mark = tg.mark()
    query = tg.press_button(
        menu.message_id, menu.button("✖ topic: Harbour").callback_data or "", user_id=chat
    )
    assert tg.callback_answer(query).text == "Unfollowed topic “Harbour”"
    edited = tg.wait_for_edit(chat, menu.message_id, after=mark)
    assert "You follow 1 thing" in edited.text and "Harbour" not in edited.text
    wire.publish("Ferry returns to service", topic="the ferry", categories=("Harbour",))
    _poll(alert_bot)
    wait_until(lambda: _alerts(tg, chat, mark), 30, "the ferry alert")
    _settled(alert_bot, chat)
    alert_bot.stop()
    # While the bot is down, one more story arrives; it comes once after the restart.
    wire.publish("Ferry fares fall", topic="the ferry")
    _poll(alert_bot)
    # `feeds poll` summarised what it brought, as the bot does after its own polls.
    assert _count(alert_bot, "SELECT count(*) FROM articles WHERE summary IS NULL") == 0
    alert_bot.start()
    wait_until(lambda: len(_alerts(tg, chat, mark)) == 2, 30, "the alert after the restart")
    _settled(alert_bot, chat)
    first, second = _alerts(tg, chat, mark)
    assert "Ferry returns" in first and "Ferry fares fall" in second
    assert "Ferry returns" not in second
    sent = query_db(alert_bot, "SELECT status, count(*) FROM alert_items WHERE chat_id = ? "
                               "GROUP BY status", chat)  # fmt: skip
    assert dict(sent) == {"sent": 2}


def test_two_instances_send_each_alert_once(
    alert_bot: BotProcess, tg: FakeTelegramThread, wire: Wire
) -> None:
    second = BotProcess(tg, alert_bot.workdir / "second", mode="webhook",
                        extra_env={"DATABASE_URL": alert_bot.database_url,
                                   "CLOCK_FILE": str(alert_bot.clock_file)})  # fmt: skip
    second.seeds.mkdir(parents=True, exist_ok=True)
    second.start()  # Telegram posts updates to the last to register; both send alerts
    try:
        chats = [next(_ids) for _ in range(12)]
        for chat in chats:
            tg.ask(chat, "/follow comet")
        mark = tg.mark()
        wire.publish("Comet visible tonight", topic="the comet")
        _poll(alert_bot)
        wait_until(lambda: all(_alerts(tg, c, mark) for c in chats), 30, "every chat's alert")
        _settled(alert_bot, *chats)
        assert {c: len(_alerts(tg, c, mark)) for c in chats} == dict.fromkeys(chats, 1)
    finally:
        second.stop()
