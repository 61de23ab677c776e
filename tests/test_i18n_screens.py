"""Every screen of the bot, rendered in each language: nothing left in English (names, numbers,
addresses and what people typed aside) and nothing beyond Telegram's limits."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from telegram import BotCommand, InlineKeyboardMarkup, InlineQueryResultArticle, ReplyKeyboardMarkup

from bot.admin.broadcast import BroadcastReport, BroadcastState
from bot.admin.stats import Stats
from bot.alerts.following import MAX_FOLLOWS, Followed, Overview, Term, Unfollowed
from bot.arguments import ArgumentProblem, Problem
from bot.chat_admins import LinkProblem
from bot.digests.runner import RunReport
from bot.feeds.errors import FeedErrorKind
from bot.feeds.manage import FeedView, UrlProblem
from bot.feeds.poller import FeedOutcome, PollReport
from bot.i18n import LANGUAGES, LOCALES_DIR, Translator, translator
from bot.rendering import (
    admin,
    alerts,
    cards,
    chats,
    console,
    digest,
    feeds,
    inline,
    reports,
    subscriptions,
    texts,
)
from bot.rendering.admin import ErrorPlace
from bot.rendering.cards import Reply
from bot.rendering.chats import KeyboardReply
from bot.rendering.markup import MAX_MESSAGE, visible_length
from bot.rendering.subscriptions import Ask
from bot.timezones import EXAMPLES, Choice, ZoneMatch
from handlers import COMMANDS
from storage.feeds import FeedCounts
from storage.models import Article, Follow, Subscriber
from storage.seeds.loader import LoadReport
from storage.seeds.records import RejectionKind, SeedReason
from tests.feeds.test_feed_errors import sample as feed_sample
from tests.test_seed_reasons import sample

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
TITLE = "Zeppelin over Friedrichshafen"  # short: buttons show titles whole
SOURCE = "Example Wire"
CHANNEL = "Daily Zeppelin"
QUERY = "zeppelin skies"
# What a screen quotes from the data, the reader or the operator: never translated.
DATA = ["«body»", "«topics»",  # JSON field names in a reason
        TITLE, SOURCE, QUERY, "Ann", "newsbot", "Airships are back.", "Second sentence here.",
        "syria", "elections", "world", "markets", "zepelin", "Berlin", "Sydney, Melbourne",
        "Australia/Sydney", "Europe/Berlin", "Example feed", "ConnectionError", "timed out",
        "a button", "BadRequest", "chat not found", "bad.txt", "no title", "dup.txt",
        "Retracted story", "seeds", "/srv/seeds", "https://example.com/rss.xml", "frobnicate",
        "7am", "8pm", "Berlin, Mumbai or America/New_York", "Hello everyone, we are back",
        "8hgsdc", "English", "run_bot.py feeds list", EXAMPLES, "ADMIN_IDS", "r1, r2",
        "/tmp/console.log", "no such table", "election", "football", "Daily Zeppelin"]  # fmt: skip
# Words a translation keeps as they are (names of things, units, Telegram's own words).
KEPT = {"utc", "rss", "atom", "iana", "telegram", "inline", "admin", "min", "url", "all",
        "putin", "envoy", "ids", "new_york", "america", "asia", "tokyo", "europe", "mumbai",
        "chat", "chats", "bot", "message", "has", "local", "token", "http", "https", "web", "p50",
        "p95", "json", "utf", "socket", "bytes", "control",  # the last two are Spanish too
        "published_at"}  # fmt: skip


def article(number: int = 1) -> Article:
    return Article(
        id=number,
        short_id=f"a2b3c{number}",
        title=TITLE,
        body="Airships are back.\n\nSecond sentence here.",
        published_at=NOW - timedelta(hours=number),
        sort_at=NOW,
        source=SOURCE,
        dateline=None,
        section=None,
        topics=["world"],
        summary=None,
        url="https://example.com/zeppelin",
    )


def subscriber(
    *,
    active: bool = True,
    topics: list[str] | None = None,
    words: list[str] | None = None,
    channel: bool = False,
) -> Subscriber:
    return Subscriber(
        id=2 if channel else 1,
        chat_id=-1005 if channel else 5,
        user_id=5,
        kind="channel" if channel else "private",
        title=CHANNEL if channel else None,
        words=words or [],
        delivery_minute=7 * 60 + 30,
        timezone="Europe/Berlin",
        topics=topics or [],
        digest_size=5,
        active=active,
        next_due_date=date(2026, 11, 28),
        next_due_at=NOW + timedelta(days=1),
        created_at=NOW,
        updated_at=NOW,
    )


def feed(number: int, *, paused: bool = False, failing: bool = False) -> FeedView:
    return FeedView(
        id=number,
        url="https://example.com/rss.xml",
        title="Example feed",
        paused=paused,
        last_fetch_at=NOW - timedelta(minutes=number * 50),
        last_status="error" if failing else "ok",
        last_error=feed_sample(FeedErrorKind.NETWORK) if failing else None,
        items_seen=12,
        articles_added=3,
        failures=2 if failing else 0,
        next_attempt_at=NOW + timedelta(minutes=15),
    )


def follow(number: int, kind: str = "word", term: str = "election") -> Follow:
    return Follow(id=number, chat_id=5, kind=kind, term=term, created_at=NOW)


def overview(
    follows: list[Follow], *, quiet: tuple[int, int] | None = None, active: bool = True
) -> Overview:
    return Overview(follows, cap=10, quiet=quiet, zone="Europe/Berlin", active=active)


def alert_screens(tr: Translator) -> Iterator[tuple[str, object]]:
    """Alerts: the message with several stories and a held-back note, /follow, /unfollow and
    the /alerts card with its buttons."""
    items = [(article(n), ["Airships are back."]) for n in range(1, 4)]
    for held in (1, 3, 5):
        reply, _ = alerts.alert_message(
            tr, items, held, NOW + timedelta(minutes=20), 10, BERLIN, skipped=held + 1
        )
        yield f"alert held {held}, {held + 1} dropped", reply
    one_alert, _ = alerts.alert_message(tr, items[:1], 0, None, 10, BERLIN)
    yield "alert one", one_alert
    word, topic = Term("word", "election"), Term("topic", "world")
    follows = [follow(1), follow(2, "topic", "world"), follow(3, term="football")]
    yield "follow usage", alerts.follow_usage(tr)
    yield "followed", alerts.followed(
        tr, Followed(added=[word, topic], already=[Term("word", "football")],
                     unknown_topics=["zepelin"], known_topics=["world", "markets"]),
    )  # fmt: skip
    yield "followed over limit", alerts.followed(tr, Followed(over_limit=[word]))
    yield (
        "followed unknown none",
        alerts.followed(tr, Followed(unknown_topics=["zepelin"], known_topics=[])),
    )
    yield "unfollow usage none", alerts.unfollow_usage(tr, overview([]))
    yield "unfollow usage", alerts.unfollow_usage(tr, overview(follows))
    for left in (0, 1, 3, 5):
        yield (
            f"unfollowed {left}",
            alerts.unfollowed(
                tr, Unfollowed([follow(9, "topic", "world")], [word], overview(follows[:1] * left))
            ),
        )
    yield "alerts card", alerts.alerts_card(tr, overview(follows, quiet=(22 * 60, 7 * 60)))
    yield "alerts card one", alerts.alerts_card(tr, overview(follows[:1]))
    yield "alerts card none", alerts.alerts_card(tr, overview([], active=False))
    yield "alerts card full", alerts.alerts_card(tr, overview([follow(1)] * MAX_FOLLOWS))
    yield "bad cap", alerts.bad_cap(tr)
    yield "bad quiet", alerts.bad_quiet(tr)
    yield "alerts saved", alerts.saved(tr)
    for removed in ([follow(1)], [follow(2, "topic", "world")], []):
        yield (
            f"unfollowed toast {len(removed)}",
            alerts.unfollowed_note(tr, Unfollowed(removed, [], overview([]))),
        )
    yield "unknown alerts setting", alerts.unknown_alerts_setting(tr, "zepelin")


def screens(tr: Translator) -> Iterator[tuple[str, object]]:
    """(name, what is sent) for every screen the bot shows."""
    one, many = [article(1)], [article(n) for n in range(1, 6)]
    yield "welcome", texts.welcome(tr, "Ann", "newsbot")
    yield "welcome anonymous", texts.welcome(tr, None, "newsbot")
    yield "help", texts.help_text(tr, "newsbot", COMMANDS)
    yield "help admin", texts.help_text(tr, "newsbot", COMMANDS, admin=True)
    yield "menu", texts.command_menu(tr, COMMANDS, admin=True)
    yield "unknown command", texts.unknown_command(tr, "/frobnicate")
    yield "did you mean", texts.did_you_mean(tr, "search", "")
    yield "did you mean, to copy", texts.did_you_mean(tr, "search", "zepelin")
    yield "no topic", texts.no_topic(tr, "zepelin", ["world", "markets"])
    yield "no topic none", texts.no_topic(tr, "zepelin", [])
    yield "no topic many", texts.no_topic(tr, "zepelin", ["world"] * 40)
    yield "topic gone", texts.topic_gone(tr)
    yield "unknown article", texts.unknown_article(tr, "zepelin")
    yield "withdrawn", texts.withdrawn_article(tr)
    yield "no articles", texts.no_articles(tr)
    yield "which article", texts.which_article(tr)
    yield "expired", texts.expired_button(tr)
    yield "saved", texts.saved(tr)
    yield "empty search", texts.empty_search(tr)
    yield "error", texts.something_went_wrong(tr)
    yield "slow down", texts.slow_down(tr)
    yield "language menu", texts.language_menu(tr)
    yield "language unknown", texts.language_menu(tr, unknown="zepelin")
    yield "language chosen", texts.language_chosen(tr)
    for problem in Problem:
        yield (
            f"problem {problem.value}",
            texts.argument_problem(tr, ArgumentProblem(problem, ("zepelin",))),
        )
    yield "latest", cards.latest_page(tr, many, offset=5, total=12, limit=0, topic="", zone=BERLIN)
    yield (
        "latest capped",
        cards.latest_page(
            tr, many, offset=0, total=50, limit=50, topic="", zone=BERLIN, capped=True
        ),
    )
    yield "page counter", cards.page_counter_note(tr, "2/3")
    yield (
        "latest topic",
        cards.latest_page(tr, many, offset=0, total=7, limit=0, topic="world", zone=BERLIN),
    )
    yield (
        "latest empty",
        cards.latest_page(tr, [], offset=0, total=0, limit=0, topic="world", zone=BERLIN),
    )
    results = [(a, [("Airships are back.", False)]) for a in many]
    yield (
        "search",
        cards.search_page(
            tr, QUERY, "zepelin", results, page=1, total=12, zone=BERLIN, ignored=["syria"]
        ),
    )
    yield "no results", cards.no_results(tr, QUERY)
    yield "no results foreign", cards.no_results(tr, QUERY, foreign_script=True)
    yield "summary", cards.summary_card(tr, article(), ["Airships are back."], BERLIN)
    for number, part in enumerate(cards.full_text(tr, article(), BERLIN)):
        yield f"full text {number}", part
    items = [(a, ["Airships are back.", "Second sentence here."]) for a in one]
    yield "digest", digest.digest_message(tr, items, 3, date(2026, 11, 27), BERLIN)
    yield (
        "digest preview",
        digest.digest_message(
            tr, items, 0, date(2026, 11, 27), BERLIN, preview=True, subscribed=False
        ),
    )
    yield "inline", inline.article_result(tr, article(), "newsbot", BERLIN)
    yield "subscribed", subscriptions.subscribed(
        tr, subscriber(topics=["syria"]), NOW, was_active=False, unknown_topics=["zepelin"],
        known_topics=["world", "markets"],
    )  # fmt: skip
    yield "updated", subscriptions.subscribed(tr, subscriber(), NOW, was_active=True)
    yield "settings none", subscriptions.settings_card(tr, None, "Europe/Berlin")
    yield "settings", subscriptions.settings_card(tr, subscriber(topics=["syria"]), "UTC")
    yield (
        "settings off",
        subscriptions.settings_card(tr, subscriber(active=False), "UTC", note="zepelin"),
    )
    filtered = subscriber(topics=["syria"], words=["+election", "-football"])
    channel = subscriber(words=["+election"], channel=True)
    yield "subscribed words", subscriptions.subscribed(tr, filtered, NOW, was_active=False)
    yield "settings words", subscriptions.settings_card(tr, filtered, "UTC", channels=[channel])
    yield "settings channel", subscriptions.settings_card(tr, channel, "UTC", channels=[channel])
    yield "settings none channels", subscriptions.settings_card(tr, None, "UTC", channels=[channel])
    yield "words question", chats.words_question(tr)
    yield "no words given", chats.no_words_given(tr)
    yield "words none today", chats.words_none_today(tr, ["+election", "-football"])
    for count in (1, 3, 5):
        yield f"words matching {count}", chats.words_matching(tr, count, ["+election"])
    yield (
        "empty digest words",
        subscriptions.empty_digest(tr, "no_articles_match_words", [], ["+election"]),
    )
    yield "only admins", chats.only_admins(tr)
    yield "only admins language", chats.only_admins_language(tr)
    yield "topic gone notice", chats.topic_gone_notice(tr)
    yield "channel picker", chats.channel_picker(tr)
    yield "channel linked", chats.channel_linked(tr, CHANNEL, 7 * 60 + 30, "Europe/Berlin")
    for link_problem in LinkProblem:
        yield f"link problem {link_problem.name}", chats.link_problem(tr, link_problem)
    yield "channel removed", chats.channel_removed(tr, CHANNEL)
    yield "channel back", chats.channel_back(tr, CHANNEL)
    yield "channel usage", chats.channel_usage(tr)
    yield "zone question", subscriptions.zone_question(tr)
    yield "zone unknown", subscriptions.zone_question(tr, "zepelin", ZoneMatch(None))
    choices = (Choice("Australia/Sydney", ("Sydney", "Melbourne")), Choice("Europe/Berlin"))
    yield "zone choices", subscriptions.zone_question(tr, "zepelin", ZoneMatch(None, choices, 4))
    yield "time question", subscriptions.time_question(tr, ("7am", "8pm"))
    yield "time again", subscriptions.time_question(tr, ("7am", "8pm"), "zepelin")
    yield "topics question", subscriptions.topics_question(tr)
    too_many = texts.argument_problem(tr, ArgumentProblem(Problem.TOO_MANY_TOPICS))
    yield "topics again", subscriptions.topics_again(tr, too_many)
    yield "topics unknown", subscriptions.topics_unknown(tr, ["zepelin"], ["world"])
    yield "cancelled", subscriptions.cancelled(tr, True)
    yield "nothing to cancel", subscriptions.cancelled(tr, False)
    for reason in ("no_articles_on_topics", "nothing_new", "nothing_recent"):
        yield f"empty digest {reason}", subscriptions.empty_digest(tr, reason, ["syria"])
    yield "unsubscribed", subscriptions.unsubscribed(tr)
    yield "already off", subscriptions.already_off(tr)
    yield "not subscribed", subscriptions.not_subscribed(tr)
    stats = Stats(
        articles={"live": 1234, "retracted": 2},
        subscribers={"active": 3, "inactive": 1},
        digests_today={"sent": 3, "pending": 0, "failed": 1},
        last_reload={"at": "2026-11-27T08:00:00", "counts": {"added": 3}, "admin": 7},
        now=NOW,
        heartbeats=[NOW - timedelta(seconds=20)],
        alive_window=timedelta(minutes=3),
        uptime=timedelta(days=1, hours=2),
        latency={"/search": (12, 3.5, 9.0)},
        counters={"updates": {"message": 3.0}},
        feeds=FeedCounts(3, 1, 1),
        failing_feeds=[("https://example.com/rss.xml", feed_sample(FeedErrorKind.TIMEOUT))],
        kinds={"private": 3, "group": 1, "topic": 2, "channel": 1},
        alerts={"chats": 2, "follows": 5, "sent": 1200, "waiting": 4},
    )
    yield "for admins", admin.for_admins(tr)
    yield "stats", admin.stats_text(tr, stats)
    yield "stats kinds", admin.kinds_line(tr, stats.kinds)
    yield (
        "stats stalled",
        admin.schedule_line(
            tr, Stats({}, {}, {}, None, NOW, [NOW - timedelta(hours=1)], timedelta(minutes=3))
        ),
    )
    yield (
        "stats none",
        admin.schedule_line(tr, Stats({}, {}, {}, None, NOW, [], timedelta(minutes=3))),
    )
    yield "reload progress", admin.reload_progress(tr, 5, 10)
    yield "reload started", admin.reload_started(tr)
    yield "reload running", admin.reload_running(tr)
    yield "reload failed", admin.reload_failed(tr, "ConnectionError")
    report = LoadReport(
        "/srv/seeds", files=5, added=["a"], duplicates=[("dup.txt", "a2b3c4")],
        retracted=[("a2b3c5", "Retracted story")], rejected=[("bad.txt", "no title")],
    )  # fmt: skip
    yield "reload report", reports.load_report(tr, report, html=True, limit=10)
    for kind in RejectionKind:  # every reason a file is rejected for, the kept note with one
        rejected: list[tuple[str, SeedReason]] = [
            ("bad.txt", sample(kind, kept=kind is RejectionKind.EMPTY))
        ]
        yield (
            f"reload report: {kind.value}",
            reports.load_report(
                tr, LoadReport("/srv/seeds", files=1, rejected=rejected), html=True
            ),
        )
    yield "sending digests", admin.sending_digests(tr)
    yield "digests sent", admin.digests_sent(tr, RunReport(sent=3, seconds=1.25))
    yield "broadcast usage", admin.broadcast_usage(tr)
    yield "broadcast confirm", admin.broadcast_confirm(tr, "Hello everyone, we are back", "ab", 3)
    yield "broadcast cancelled", admin.broadcast_cancelled(tr, True)
    yield "broadcast not cancelled", admin.broadcast_cancelled(tr, False)
    yield "broadcast sending", admin.broadcast_sending(tr)
    for state in BroadcastState:
        yield f"broadcast {state.value}", admin.broadcast_not_pending(tr, state)
    yield "broadcast done", admin.broadcast_done(tr, BroadcastReport(3, 1, 0))
    for place in ErrorPlace:
        notice = admin.admin_error_notice(tr, "BadRequest", place, "chat not found", 2)
        yield f"error notice {place.name}", notice
    yield "error notice command", admin.admin_error_notice(tr, "BadRequest", "/help", "x", 0)
    listed = [feed(1), feed(2, paused=True), feed(3, failing=True)]
    yield "feeds", feeds.feeds_reply(tr, listed, NOW)
    yield "feeds many", feeds.feeds_reply(tr, [feed(n) for n in range(1, 40)], NOW)
    for failure in FeedErrorKind:  # every way a feed fails, the kept items with one
        kept = 2 if failure is FeedErrorKind.MALFORMED else None
        failing = dataclasses.replace(feed(3, failing=True), last_error=feed_sample(failure, kept))
        yield f"feed failing: {failure.value}", feeds.feeds_reply(tr, [failing], NOW)
    yield "no feeds", feeds.feeds_reply(tr, [], NOW)
    yield "feeds usage", feeds.feeds_usage(tr)
    for url_problem in UrlProblem:
        yield f"feed not added {url_problem.name}", feeds.feed_not_added(tr, url_problem)
    yield "feed listed", feeds.feed_listed_already(tr, 3, "https://example.com/rss.xml")
    yield "feed added", feeds.feed_added(tr, 3, "https://example.com/rss.xml")
    yield "no such feed", feeds.no_such_feed(tr, "zepelin")
    for action in ("pause", "resume", "remove"):
        yield f"feed {action}", feeds.feed_changed(tr, action, 3, True)
    yield "feed gone", feeds.feed_changed(tr, "pause", 3, False)
    for updated in (1, 2, 5):
        outcome = FeedOutcome(1, "https://example.com/rss.xml", "ok", 3, ("a2b3c1",), None, updated)
        polled = PollReport([outcome], seconds=1.5)
        yield f"feeds polled {updated}", feeds.poll_plain(tr, polled)
    for admin_user in (True, False):
        yield (
            f"console banner {admin_user}",
            console.banner(
                tr,
                1001,
                admin=admin_user,
                log="/tmp/console.log",
                admin_commands=["stats", "feeds"],
            ),
        )
    yield "console edited", console.edited(tr)
    yield "console answers", console.answers_next(tr)
    yield "console inline", console.inline_results(tr, QUERY)
    yield "console inline hint", console.inline_hint(tr, True)
    yield "console inline none", console.inline_hint(tr, False)
    yield "console error", console.console_error(tr, "no such table")
    yield "console no button", console.no_button(tr, "999")
    yield "console no result", console.no_result(tr, "r9")
    yield from alert_screens(tr)


def _parts(shown: object) -> tuple[list[str], list[tuple[str, str]]]:
    """The texts of a screen (markup) and its buttons (label, callback data)."""
    keyboard: object = None
    if isinstance(shown, KeyboardReply):
        texts_, keyboard = [shown.text], shown.markup
    elif isinstance(shown, Reply | Ask):
        texts_, keyboard = (
            [shown.text],
            shown.keyboard if isinstance(shown, Reply) else shown.markup,
        )
    elif isinstance(shown, InlineQueryResultArticle):
        content = shown.input_message_content
        texts_ = [shown.title, getattr(content, "message_text", "")]
        keyboard = shown.reply_markup
    elif isinstance(shown, list) and all(isinstance(c, BotCommand) for c in shown):
        texts_ = [c.description for c in shown]
    else:
        assert isinstance(shown, str)
        texts_ = [shown]
    buttons = []
    if isinstance(keyboard, InlineKeyboardMarkup):
        for row in keyboard.inline_keyboard:
            buttons += [(b.text, str(b.callback_data or b.url or "")) for b in row]
    elif isinstance(keyboard, ReplyKeyboardMarkup):
        buttons += [(b.text, "") for row in keyboard.keyboard for b in row]
    return texts_, buttons


def _english_words() -> set[str]:
    """The words of the English texts (msgids), less the ones translations keep."""
    with (LOCALES_DIR / "messages.pot").open("rb") as source:
        ids = [m.id if isinstance(m.id, str) else " ".join(m.id) for m in read_po(source) if m.id]
    words = set()
    for text in ids:
        words |= set(_words(text))
    return words - KEPT


_STRIP = re.compile(r"<code>.*?</code>|<[^>]+>|https?://\S+|[/@#]\w+|\{\w*\}", re.DOTALL)


def _words(markup: str) -> list[str]:
    text = html.unescape(markup)
    for value in sorted(DATA, key=len, reverse=True):
        text = text.replace(value, " ")
    text = _STRIP.sub(" ", text)
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z_']{2,}", text)]


ENGLISH_WORDS = _english_words()


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_no_screen_is_left_in_english(code: str) -> None:
    left: dict[str, list[str]] = {}
    for name, shown in screens(translator(code)):
        texts_, buttons = _parts(shown)
        words = [w for text in texts_ + [label for label, _ in buttons] for w in _words(text)]
        if english := sorted({w for w in words if w in ENGLISH_WORDS}):
            left[name] = english
    assert not left, f"{code}: English words left: {left}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_screen_fits_telegrams_limits(code: str) -> None:
    for name, shown in screens(translator(code)):
        texts_, buttons = _parts(shown)
        for text in texts_:
            assert 0 < visible_length(text) <= MAX_MESSAGE, name
        if isinstance(shown, str) and name in {"expired", "saved", "error", "for admins"}:
            assert len(shown) <= 200, name  # a button's alert
        if isinstance(shown, list):
            assert all(len(c.description) <= 256 for c in shown), name
        for label, data in buttons:
            assert label.strip(), name
            assert len(data.encode()) <= 64 or data.startswith("https://"), name


def test_screens_differ_by_language() -> None:
    """The same screen in each language: a translation is actually shown."""
    rendered = {code: [_parts(s)[0] for _, s in screens(translator(code))] for code in LANGUAGES}
    same = [
        name
        for (name, _), en, ru, es in zip(
            screens(translator("en")), rendered["en"], rendered["ru"], rendered["es"], strict=True
        )
        if en in (ru, es)
    ]
    assert same == ["problem too_many_articles"] or not same, same
