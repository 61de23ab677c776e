"""Digests for groups, forum topics and channels, with word filters: end to end against the fake
Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fakeapi.chat_events import (
    anonymous_admin_message,
    bot_membership,
    delete_topic,
    make_forum,
    open_topic,
    set_member,
    share_chat,
    topic_message,
)
from fakeapi.models import CallbackAnswer, SentMessage
from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    ADMIN_ID,
    BotProcess,
    digests_by_chat,
    e2e_corpus,
    fresh_fake,
    group_says,
    on_fake,
    query_db,
    wait_until,
    write_json_article,
)

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
ONLY_ADMINS = "Only group admins can change this group's digest."
ONLY_ADMINS_LANGUAGE = "Only group admins can change the language I write in here."
_ids = itertools.count(800_000)

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture(scope="module")
def bot(
    tg: FakeTelegramThread,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[BotProcess]:
    process = BotProcess(tg, tmp_path_factory.mktemp("groups-bot"), extra_env=module_database)
    e2e_corpus(process.seeds)
    write_json_article(
        process.seeds,
        "election",
        title="Voters queue early as the election nears",
        body="Polling stations opened at dawn. The election commission expects a record turnout.",
        published_at="2026-11-26T09:00:00Z",
        source="Example Wire",
        topics=["Politics"],
    )
    process.set_clock(START)
    process.start()
    yield process
    tg.set_flood_limit(False)
    process.stop()


def send_digests(tg: FakeTelegramThread) -> str:
    """/senddigests as the bot's admin; the report once every digest went out."""
    [_, report] = tg.ask(ADMIN_ID, "/senddigests", count=2, timeout=120)
    return report.text


def thread_of(message: SentMessage) -> int | None:
    thread = message.raw.get("message_thread_id")
    return int(thread) if thread is not None else None


def subscriber(bot: BotProcess, chat_id: int) -> tuple[object, ...]:
    [row] = query_db(
        bot,
        "SELECT active, kind, thread_id, inactive_reason FROM subscribers WHERE chat_id = ?",
        chat_id,
    )
    return tuple(row)


def member_presses(
    tg: FakeTelegramThread, group: int, member: int, message: SentMessage, label: str
) -> CallbackAnswer:
    """A group member presses a button of a message in the group: what the bot answers."""
    button = message.button(label).callback_data or ""
    return tg.callback_answer(tg.press_button(message.message_id, button, user_id=member,
                                              chat_id=group))  # fmt: skip


def test_only_admins_change_a_groups_digest_and_anyone_reads(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    group = int(tg.add_group(title="Readers", chat_type="supergroup")["id"])
    member, admin = next(_ids), next(_ids)
    on_fake(tg, set_member, group, member, "member")
    on_fake(tg, set_member, group, admin, "administrator")
    assert group_says(tg, group, member, "/subscribe 8:00").text == ONLY_ADMINS
    assert query_db(bot, "SELECT count(*) FROM subscribers WHERE chat_id = ?", group) == [(0,)]
    subscribed = group_says(tg, group, admin, "/subscribe@" + tg.bot_username + " 8:00")
    assert subscribed.text.startswith("🔔 Subscribed!")
    assert group_says(tg, group, member, "/unsubscribe").text == ONLY_ADMINS
    # Reading is for everyone: search, the settings card, a preview.
    assert "Markets" in group_says(tg, group, member, "/search markets").text
    card = group_says(tg, group, member, "/settings")
    assert "Status: on" in card.text
    answer = member_presses(tg, group, member, card, "Stop digest")
    assert answer.text == ONLY_ADMINS and answer.show_alert
    assert subscriber(bot, group)[0] in (True, 1)
    assert group_says(tg, group, admin, "/unsubscribe").text.startswith("🔕 Unsubscribed")
    assert subscriber(bot, group)[0] in (False, 0)
    # The group's language too: a member sees the menu, but neither the command nor a button
    # switches it; an admin's does.
    assert group_says(tg, group, member, "/language es").text == ONLY_ADMINS_LANGUAGE
    menu = group_says(tg, group, member, "/language")
    answer = member_presses(tg, group, member, menu, "Español")
    assert answer.text == ONLY_ADMINS_LANGUAGE and answer.show_alert
    assert group_says(tg, group, member, "/settings").text.startswith("⚙️ Your digest")
    assert group_says(tg, group, admin, "/language es").text.startswith("✅")
    assert group_says(tg, group, member, "/settings").text.startswith("⚙️ Tu resumen")


def test_the_anonymous_admin_counts_as_an_admin(bot: BotProcess, tg: FakeTelegramThread) -> None:
    group = int(tg.add_group(title="Quiet admins", chat_type="supergroup")["id"])
    mark = tg.mark()
    on_fake(tg, anonymous_admin_message, group, "/subscribe 9:00 UTC")
    [reply] = tg.wait_for_messages(group, 1, after=mark, timeout=20)
    assert reply.text.startswith("🔔 Subscribed!") and "09:00" in reply.text


def test_a_digest_lands_in_its_topic_and_a_deleted_topic_stops_it(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    forums = []
    for title in ("Forum one", "Forum two"):
        group = int(tg.add_group(title=title, chat_type="supergroup")["id"])
        on_fake(tg, make_forum, group)
        forums.append(group)
    admin = next(_ids)
    threads = []
    for group in forums:
        on_fake(tg, set_member, group, admin, "administrator")
        thread = on_fake(tg, open_topic, group, admin, "Daily news")
        threads.append(thread)
        mark = tg.mark()
        on_fake(tg, topic_message, group, admin, thread, "/subscribe 8:00 UTC")
        [reply] = tg.wait_for_messages(group, 1, after=mark, timeout=20)
        assert reply.text.startswith("🔔 Subscribed!")
        assert thread_of(reply) == thread  # the answer stays in the topic
    # Every answer in a topic stays there, a question and its answer too.
    mark = tg.mark()
    on_fake(tg, topic_message, forums[0], admin, threads[0], "/latest")
    [latest] = tg.wait_for_messages(forums[0], 1, after=mark, timeout=20)
    assert thread_of(latest) == threads[0]
    on_fake(tg, delete_topic, forums[1], threads[1])
    mark = tg.mark()
    report = send_digests(tg)
    assert "1 failed" in report, report
    [digest] = [m for m in tg.messages(forums[0], after=mark) if m.text.startswith("🗞")]
    assert thread_of(digest) == threads[0]
    [notice] = tg.messages(forums[1], after=mark)
    assert "topic" in notice.text and "deleted" in notice.text
    assert thread_of(notice) is None  # in the General topic
    assert subscriber(bot, forums[0])[:3] in ((True, "group", threads[0]), (1, "group", threads[0]))
    active, kind, _, reason = subscriber(bot, forums[1])
    assert not active and kind == "group" and "thread not found" in str(reason).lower()
    [stats] = tg.ask(ADMIN_ID, "/stats")
    kinds = re.search(r"Active by kind: (\d+) private, (\d+) group, (\d+) topic, (\d+) channel",
                      stats.text)  # fmt: skip
    assert kinds is not None and int(kinds[3]) >= 1, stats.text  # forum one's topic


def test_a_channel_linked_gets_its_digest_until_the_bot_is_removed(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    owner, stranger = next(_ids), next(_ids)
    name = f"morningwire{owner}"
    channel = int(tg.add_group(title="Morning Wire", chat_type="channel", username=name)["id"])
    on_fake(tg, set_member, channel, owner, "administrator")
    on_fake(tg, set_member, channel, stranger, "member")
    [refused] = tg.ask(stranger, f"/channel @{name}")
    assert "Only the channel's admins" in refused.text
    [picker] = tg.ask(owner, "/channel")
    [[button]] = (picker.reply_markup or {})["keyboard"]
    request = button["request_chat"]
    assert request["chat_is_channel"] is True
    assert request["user_administrator_rights"]["can_post_messages"] is True
    assert request["bot_administrator_rights"]["can_post_messages"] is True
    mark = tg.mark()
    on_fake(tg, share_chat, owner, request["request_id"], channel)
    [linked] = tg.wait_for_messages(owner, 1, after=mark, timeout=20)
    assert "Morning Wire" in linked.text and "is linked" in linked.text
    assert subscriber(bot, channel)[:2] in ((True, "channel"), (1, "channel"))
    # /settings in the private chat switches between the reader's own digest and the channel.
    [card] = tg.ask(owner, "/settings")
    mark = tg.mark()
    tg.press_button(card.message_id, card.button("Morning Wire").callback_data or "",
                    user_id=owner)  # fmt: skip
    edited = tg.wait_for_edit(owner, card.message_id, after=mark)
    assert "Digest of Morning Wire" in edited.text
    minute = "SELECT delivery_minute FROM subscribers WHERE chat_id = ?"
    [(before,)] = query_db(bot, minute, channel)
    mark = tg.mark()
    tg.press_button(edited.message_id, edited.button("+ 1 hour").callback_data or "",
                    user_id=owner)  # fmt: skip
    shifted = tg.wait_for_edit(owner, edited.message_id, after=mark)
    assert "Digest of Morning Wire" in shifted.text
    assert query_db(bot, minute, channel) == [(before + 60,)]
    # Someone who may not post there cannot change it, whatever button data they send.
    forged = tg.press_button(edited.message_id, f"G|off|0|{channel}", user_id=stranger,
                             chat_id=owner, strict=False)  # fmt: skip
    assert "Only the channel's admins" in (tg.callback_answer(forged).text or "")
    assert subscriber(bot, channel)[0] in (True, 1)
    mark = tg.mark()
    send_digests(tg)
    assert digests_by_chat(tg, mark).get(channel) == 1
    mark = tg.mark()
    on_fake(tg, bot_membership, channel, "left", by_user_id=owner)
    [told] = tg.wait_for_messages(owner, 1, after=mark, timeout=20)
    assert "removed from" in told.text and "Morning Wire" in told.text
    active, _, _, reason = subscriber(bot, channel)
    assert not active and reason
    mark = tg.mark()
    on_fake(tg, bot_membership, channel, "administrator", by_user_id=owner)
    [back] = tg.wait_for_messages(owner, 1, after=mark, timeout=20)
    assert "resumes" in back.text
    assert subscriber(bot, channel)[:2] in ((True, "channel"), (1, "channel"))


def test_a_channel_found_gone_on_a_send_resumes_when_the_bot_is_back(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    owner = next(_ids)
    # A name of its own: the fake lives as long as the module, for both databases.
    name = f"evewire{owner}"
    channel = int(tg.add_group(title="Evening Wire", chat_type="channel", username=name)["id"])
    on_fake(tg, set_member, channel, owner, "administrator")
    [linked] = tg.ask(owner, f"/channel {name}")
    assert "Evening Wire" in linked.text and "is linked" in linked.text
    tg.kick(channel)  # removed without the bot hearing of it: the next send finds out
    send_digests(tg)
    active, _, _, reason = subscriber(bot, channel)
    assert not active and "kicked" in str(reason)
    mark = tg.mark()
    on_fake(tg, bot_membership, channel, "administrator", by_user_id=owner)
    [back] = tg.wait_for_messages(owner, 1, after=mark, timeout=20)
    assert "Evening Wire" in back.text and "resumes" in back.text
    assert subscriber(bot, channel)[:2] in ((True, "channel"), (1, "channel"))


def test_word_filters_require_and_exclude_words_with_typos(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    reader = next(_ids)
    [done] = tg.ask(reader, "/subscribe 8:00 UTC +electoin")
    assert done.text.startswith("🔔") and "Words: +electoin" in done.text
    [nothing, none_today] = tg.ask(reader, "/subscribe -football +qwxzyvj", count=2)
    assert "Words: -football, +qwxzyvj" in nothing.text
    assert "No article of the last day matches your words" in none_today.text
    [card] = tg.ask(reader, "/subscribe topics: all")
    assert "Words: -football, +qwxzyvj" in card.text  # kept when not typed again
    [card] = tg.ask(reader, "/settings")
    assert "Words: -football, +qwxzyvj" in card.text
    mark = tg.mark()
    tg.press_button(card.message_id, card.button("Words").callback_data or "", user_id=reader)
    [question] = tg.wait_for_messages(reader, 1, after=mark)
    assert question.text.startswith("🔤 Which words?")
    # "electoin" for election, "bnods" for bonds: forgiven as search forgives them.
    [changed] = tg.ask(reader, "+electoin +markets -bnods")
    assert "Words: +electoin, +markets, -bnods" in changed.text
    assert (
        "of the last day match" in changed.text
    )  # "1 article ... matches", "2 articles ... match"
    [preview] = tg.ask(reader, "/digest")
    assert "Voters queue early" in preview.text
    assert "Markets report" not in preview.text  # every one of them mentions bonds
    [nothing] = tg.ask(reader, "+zzyzzyx")  # the question is closed: this is a search
    assert "Words:" not in nothing.text
    [card] = tg.ask(reader, "/settings")
    mark = tg.mark()
    tg.press_button(card.message_id, card.button("Words").callback_data or "", user_id=reader)
    tg.wait_for_messages(reader, 1, after=mark)
    [none] = tg.ask(reader, "+qwxzyv")
    assert "No article of the last day matches your words" in none.text
    [empty] = tg.ask(reader, "/digest")
    assert "No article of the last day matches your words" in empty.text


def test_a_group_that_became_a_supergroup_keeps_every_setting(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    group = int(tg.add_group(title="Old group")["id"])
    admin, member = next(_ids), next(_ids)
    on_fake(tg, set_member, group, admin, "administrator")
    assert group_says(tg, group, admin, "/subscribe 7:15 UTC topics: markets").text.startswith("🔔")
    card = group_says(tg, group, admin, "/settings")
    mark = tg.mark()
    tg.press_button(card.message_id, card.button("Words").callback_data or "", user_id=admin,
                    chat_id=group)  # fmt: skip
    [question] = tg.wait_for_messages(group, 1, after=mark)
    # A member's answer is not taken; the admin's is.
    mark = tg.mark()
    tg.send_group_message(group, member, "-shares", reply_to_message_id=question.message_id)
    [refused] = tg.wait_for_messages(group, 1, after=mark)
    assert refused.text == ONLY_ADMINS
    assert group_says(tg, group, member, "/cancel").text == ONLY_ADMINS  # the question stays
    mark = tg.mark()
    tg.send_group_message(group, admin, "+bonds", reply_to_message_id=question.message_id)
    [changed] = tg.wait_for_messages(group, 1, after=mark)
    assert "Words: +bonds" in changed.text
    supergroup = tg.migrate(group)
    on_fake(tg, set_member, supergroup, admin, "administrator")
    # Moved on the service message, before any digest found the group gone.
    moved = "SELECT count(*) FROM subscribers WHERE chat_id = ?"
    wait_until(lambda: query_db(bot, moved, supergroup) == [(1,)], 20, "the move")
    card = group_says(tg, supergroup, admin, "/settings")
    assert "07:15" in card.text and "Markets" in card.text and "Words: +bonds" in card.text
    rows = query_db(bot, "SELECT kind FROM subscribers WHERE chat_id = ?", supergroup)
    assert rows == [("group",)]


@pytest.mark.slow
def test_a_fan_out_to_200_groups_keeps_each_groups_pace_without_429(
    bot: BotProcess, tg: FakeTelegramThread
) -> None:
    groups = [int(tg.add_group(title=f"Fan {i}")["id"]) for i in range(200)]
    mark = tg.mark()
    for group in groups:
        admin = next(_ids)  # each group its own admin (one user's burst would be slowed down)
        on_fake(tg, set_member, group, admin, "administrator")
        tg.send_group_message(group, admin, "/subscribe 8:00 UTC")
    for group in groups:
        [reply] = tg.wait_for_messages(group, 1, after=mark, timeout=120)
        assert reply.text.startswith("🔔"), reply.text
    tg.set_flood_limit(True)
    mark = tg.mark()
    send_digests(tg)
    [confirm] = tg.ask(ADMIN_ID, "/broadcast Polls open at eight")
    tg.press_button(confirm.message_id, confirm.button("Send").callback_data or "",
                    user_id=ADMIN_ID)  # fmt: skip
    for group in groups:
        tg.wait_for_messages(group, 2, after=mark, timeout=120)
    stats = tg.rate_stats()
    busiest = max(stats.max_per_minute_by_group[g] for g in groups)
    print(
        f"\n200-group fan-out: {stats.accepted} messages accepted (replies, digests, an "
        f"announcement), {stats.rejected_429} 429s, busiest group minute {busiest}"
    )
    assert stats.rejected_429 == 0
    assert max(stats.max_per_minute_by_group[g] for g in groups) <= 20
    assert all(digests_by_chat(tg, mark).get(g) == 1 for g in groups)
