"""What a new user meets first: questions that stay open, topics checked, the zones and times
people type, the day kept across a change of zone, commands meant for other bots, mistyped
commands, the page counter and the ✖ of /unfollow."""

from __future__ import annotations

import re
import time

import pytest

from fakeapi.chat_events import set_member
from fakeapi.models import SentMessage
from fakeapi.threaded import FakeTelegramThread
from storage.short_ids import ALPHABET
from tests.e2e.harness import BotProcess, on_fake

pytestmark = pytest.mark.e2e


def press(tg: FakeTelegramThread, chat: int, message: SentMessage, label: str) -> None:
    tg.press_button(message.message_id, message.button(label).callback_data or "", user_id=chat)


def ask_zone(tg: FakeTelegramThread, chat: int) -> SentMessage:
    """/settings -> 🌍 Timezone: the bot's question."""
    [settings] = tg.ask(chat, "/settings")
    mark = tg.mark()
    press(tg, chat, settings, "Timezone")
    [question] = tg.wait_for_messages(chat, 1, after=mark)
    assert question.text.startswith("🌍 Which timezone?")
    return question


def test_a_question_stays_open_until_answered_or_cancelled(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    tg.ask(user, "/subscribe 7:30 berlin")
    ask_zone(tg, user)
    # A country of several clocks: its largest cities as buttons; the answer is still open.
    [choices] = tg.ask(user, "usa")
    assert "could be one of these" in choices.text and "Nothing found" not in choices.text
    assert choices.all_buttons[0].text.startswith("New York")
    # Typed without replying: still the answer, not a search.
    [card] = tg.ask(user, "America/Denver")
    assert "Timezone: America/Denver" in card.text
    # An invalid answer asks again; the next one answers.
    ask_zone(tg, user)
    [again] = tg.ask(user, "qwerty")
    assert "I don't know the timezone “qwerty”" in again.text
    assert (again.reply_markup or {}).get("force_reply") is True
    [card] = tg.ask(user, "Paris")
    assert "Timezone: Europe/Paris" in card.text
    # A choice by button.
    ask_zone(tg, user)
    [choices] = tg.ask(user, "australia")
    assert [b.text for b in choices.all_buttons][:2] == [
        "Sydney, Melbourne",
        "Brisbane, Gold Coast",
    ]
    mark = tg.mark()
    press(tg, user, choices, "Sydney, Melbourne")
    edited = tg.wait_for_edit(user, choices.message_id, after=mark)
    assert "Timezone: Australia/Sydney" in edited.text
    # Answered: the next text is a search again.
    [search] = tg.ask(user, "syria envoy")
    assert search.text.startswith("🔎")
    # /cancel leaves a question; then text is a search.
    ask_zone(tg, user)
    [bye] = tg.ask(user, "/cancel")
    assert bye.text == "OK, cancelled."
    [search] = tg.ask(user, "Paris")
    assert not search.text.startswith("⚙️") and "Timezone:" not in search.text


def test_the_zones_people_type_are_found(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    for typed, zone in [
        ("Mumbai", "Asia/Kolkata"),
        ("Munich", "Europe/Berlin"),
        ("Frankfurt", "Europe/Berlin"),
        ("San Francisco", "America/Los_Angeles"),
    ]:
        [reply] = tg.ask(user, f"/subscribe 7:30 {typed}")
        assert f"every day at 07:30 ({zone})" in reply.text, reply.text
    # A country: its largest cities first, as buttons; the time typed is kept.
    [choices] = tg.ask(user, "/subscribe 6:15 brazil")
    assert choices.all_buttons[0].text.startswith("São Paulo")
    mark = tg.mark()
    press(tg, user, choices, choices.all_buttons[0].text)
    [done] = tg.wait_for_messages(user, 1, after=mark)
    assert "every day at 06:15 (America/Sao_Paulo)" in done.text
    [russia] = tg.ask(user, "/subscribe russia")
    assert "more: send a city" in russia.text and len(russia.all_buttons) == 8
    tg.ask(user, "/cancel")
    # A part-hour offset is kept as typed, shown as typed.
    [offset] = tg.ask(user, "/subscribe 19:00 +5:30")
    assert "every day at 19:00 (UTC+5:30)" in offset.text and "at 19:00 UTC+5:30" in offset.text
    [whole] = tg.ask(user, "/subscribe 19:00 UTC+3")
    assert "at 19:00 UTC+3" in whole.text and "+03" not in whole.text


def test_times_and_orders_people_type(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    for typed, shown in [("19h", "19:00 (UTC)"), ("0730", "07:30"), ("07:30:00", "07:30"),
                         ("7 30", "07:30"), ("7am", "07:00"), ("7.30pm", "19:30"),
                         ("berlin 7:30", "07:30 (Europe/Berlin)")]:  # fmt: skip
        [reply] = tg.ask(user, f"/subscribe {typed}")
        assert f"every day at {shown}" in reply.text, (typed, reply.text)
    # Two spellings of one minute are one time: no question.
    [reply] = tg.ask(user, "/subscribe 0 0")
    assert "every day at 00:00" in reply.text, reply.text


def test_two_times_are_a_question_the_next_message_answers(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [question] = tg.ask(user, "/subscribe 7:30 8:00 tokyo topics: syria +qzxjvw")
    assert question.text.startswith("Which time do you mean: 7:30 or 8:00? Send one")
    assert (question.reply_markup or {}).get("force_reply") is True
    # Not a time: asked again; the question stays open.
    [again] = tg.ask(user, "soon")
    assert again.text.startswith("“soon” is not a time I can read.")
    assert "7:30 or 8:00" in again.text
    # The answer is taken (not a search), with the zone, topics and words typed before.
    [done, none_today] = tg.ask(user, "8:00", count=2)
    assert "every day at 08:00 (Asia/Tokyo)" in done.text, done.text
    assert "Topics: Syria" in done.text and "Words: +qzxjvw" in done.text
    assert "+qzxjvw" in none_today.text
    # Answered: text is a search again.
    [search] = tg.ask(user, "syria envoy")
    assert search.text.startswith("🔎")


def test_the_time_answered_goes_on_to_the_zone_question(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    tg.ask(user, "/subscribe 7:30 8:00 Atlantsi")
    # A misspelt small town is asked about, with the place it could be as a button.
    [zone] = tg.ask(user, "8")
    assert "Did you mean Atlantis, South Africa (Africa/Johannesburg)?" in zone.text
    mark = tg.mark()
    press(tg, user, zone, "Atlantis, South Africa")
    [done] = tg.wait_for_messages(user, 1, after=mark)
    assert "every day at 08:00 (Africa/Johannesburg)" in done.text, done.text


def test_the_city_a_zone_came_from_is_named(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/subscribe 7:30 atlantis")
    assert "every day at 07:30 (Africa/Johannesburg)" in reply.text
    assert "📍 Atlantis, South Africa → Africa/Johannesburg" in reply.text
    # So it is when the zone answers the bot's question, from /subscribe or the settings.
    [question] = tg.ask(user, "/subscribe 7:30 qwertyz")
    assert "I don't know the timezone" in question.text
    [reply] = tg.ask(user, "Munich")
    assert "📍 Munich, Germany → Europe/Berlin" in reply.text, reply.text
    ask_zone(tg, user)
    [card] = tg.ask(user, "atlantis")
    assert "Timezone: Africa/Johannesburg" in card.text
    assert "📍 Atlantis, South Africa → Africa/Johannesburg" in card.text
    assert "⚠️" not in card.text  # a note, not a warning
    # The zone's own name says the city: nothing more.
    [reply] = tg.ask(user, "/subscribe 7:30 berlin")
    assert "every day at 07:30 (Europe/Berlin)" in reply.text and "📍" not in reply.text
    # Cities as Russian and Spanish speakers write them.
    for typed, zone in [("Москва", "Europe/Moscow"), ("Нью-Йорк", "America/New_York"),
                        ("Londres", "Europe/London")]:  # fmt: skip
        [reply] = tg.ask(user, f"/subscribe 7:30 {typed}")
        assert f"every day at 07:30 ({zone})" in reply.text, reply.text
    # And times as they say them: the words around the number are no part of the zone.
    for typed, shown in [("в 8 утра Москва", "08:00 (Europe/Moscow)"),
                         ("a las 8 de la tarde Madrid", "20:00 (Europe/Madrid)")]:  # fmt: skip
        [reply] = tg.ask(user, f"/subscribe {typed}")
        assert f"every day at {shown}" in reply.text, reply.text
    # And countries; the country of the city named is in the reader's language.
    for typed, zone in [("Германия", "Europe/Berlin"), ("Japón", "Asia/Tokyo")]:
        [reply] = tg.ask(user, f"/subscribe 7:30 {typed}")
        assert f"every day at 07:30 ({zone})" in reply.text, reply.text
    [reply] = tg.ask(user, "/subscribe 7:30 Munich", language_code="ru")
    assert "📍 Munich, Германия → Europe/Berlin" in reply.text, reply.text


def test_digest_topics_are_checked(chat_bot: BotProcess, tg: FakeTelegramThread, user: int) -> None:
    [reply] = tg.ask(user, "/subscribe 7:30 topics: all")
    assert "Topics:" not in reply.text
    [settings] = tg.ask(user, "/settings")
    assert "Topics: all (no filter)" in settings.text
    [reply] = tg.ask(user, "/subscribe topics: wrold, football")
    assert "Topics: World" in reply.text and "wrold" not in reply.text.split("⚠️")[0]
    assert "“football”" in reply.text
    [reply] = tg.ask(user, "/subscribe Europe/Berlin topics: syria 7:30")
    assert "every day at 07:30 (Europe/Berlin)" in reply.text and "Topics: Syria" in reply.text
    [settings] = tg.ask(user, "/settings")
    assert "Topics: Syria\n" in settings.text and "Next digest:" in settings.text
    [reply] = tg.ask(user, "/subscribe 6:45 topics: markets, syria tokyo")
    assert "every day at 06:45 (Asia/Tokyo)" in reply.text
    assert "Topics: Markets, Syria" in reply.text
    # None known: asked again, and the answer is taken.
    [question] = tg.ask(user, "/subscribe topics: astrology")
    assert "No articles have the topic “astrology”" in question.text and "Markets" in question.text
    [reply] = tg.ask(user, "markts")
    assert "Topics: Markets" in reply.text


def test_commands_for_other_bots_are_left_alone(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    mark = tg.mark()
    tg.send_message(user, "/latest@otherbot")
    tg.send_message(user, "/frobnicate@otherbot")
    [mine] = tg.ask(user, f"/latest@{tg.bot_username}")
    assert mine.text.startswith("📰 Latest news")
    time.sleep(0.5)
    assert [m.text[:10] for m in tg.messages(user, after=mark)] == [mine.text[:10]]


def test_help_latest_and_the_digest_button_say_what_they_mean(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [help_text] = tg.ask(user, "/help")
    example = re.search(r"/summary ([0-9a-z]{6})\b", help_text.text)
    assert example and set(example.group(1)) <= set(ALPHABET)  # an id that could be real
    # More than a list holds: the list, as many as there are (the cap is said at 50 stories).
    [capped] = tg.ask(user, "/latest 1000000")
    assert capped.text.startswith("📰 Latest news (1–5 of 15)") and capped.button("▶")
    [start] = tg.ask(user, "/start")
    mark = tg.mark()
    press(tg, user, start, "🔔 Daily digest")
    [subscribed] = tg.wait_for_messages(user, 1, after=mark)
    assert "every day at 08:00 (UTC)" in subscribed.text and "Next one:" in subscribed.text
    assert subscribed.button("Timezone") and subscribed.button("+ 1 hour")  # to change it


def test_in_a_group_a_reply_to_the_question_answers_it(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    group = tg.add_group(title="Readers of the news")["id"]
    on_fake(tg, set_member, group, user, "administrator")
    mark = tg.mark()
    tg.send_group_message(group, user, "/subscribe 7:30 usa")
    [choices] = tg.wait_for_messages(group, 1, after=mark)
    assert "could be one of these" in choices.text
    # Other bots' commands, and unknown ones nobody addressed to us, get no answer here.
    tg.send_group_message(group, user, "/latest@otherbot")
    tg.send_group_message(group, user, "/frobnicate")
    mark = tg.mark()
    tg.send_group_message(group, user, "denver", reply_to_message_id=choices.message_id)
    [done] = tg.wait_for_messages(group, 1, after=mark)
    assert "every day at 07:30 (America/Denver)" in done.text
    time.sleep(0.5)
    assert len(tg.messages(group, after=mark)) == 1
    # Which time: a reply to the question answers it; the zone typed before is kept.
    mark = tg.mark()
    tg.send_group_message(group, user, "/subscribe 6:00 9:00 tokyo")
    [question] = tg.wait_for_messages(group, 1, after=mark)
    assert question.text.startswith("Which time do you mean: 6:00 or 9:00?")
    mark = tg.mark()
    tg.send_group_message(group, user, "9:00", reply_to_message_id=question.message_id)
    [done] = tg.wait_for_messages(group, 1, after=mark)
    assert "every day at 09:00 (Asia/Tokyo)" in done.text, done.text


def test_words_in_an_alphabet_no_story_uses_are_told_so(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "путин сирия", language_code="ru")
    assert "ни одна статья здесь не написана этим алфавитом" in reply.text, reply.text
    [reply] = tg.ask(user, "zzqxv")  # Latin letters that match nothing: the usual advice
    assert "Try fewer or shorter words" in reply.text


def test_a_mistyped_command_is_answered_with_the_one_meant(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/lates")
    assert reply.text == "Did you mean /latest?"
    # What followed the command comes back whole, to copy and send again.
    [reply] = tg.ask(user, "/serch putin  syria")
    assert reply.text == "Did you mean /search?\n/search putin syria"
    assert any(e["type"] == "code" for e in reply.entities)
    [reply] = tg.ask(user, "/latest10")  # the number typed onto the command
    assert reply.text == "Did you mean /latest?\n/latest 10"
    [reply] = tg.ask(user, "/unsub")  # the only command that begins so
    assert reply.text == "Did you mean /unsubscribe?"
    # Too far from any, or near only an admin's command: the usual answer.
    for typed in ("/frobnicate", "/reloa", "/s"):
        [reply] = tg.ask(user, typed)
        assert reply.text == f"I don't know {typed}. /help lists what I can do.", reply.text
    [reply] = tg.ask(user, "/lates 10", language_code="es")
    assert reply.text == "¿Querías decir /latest?\n/latest 10"


def test_a_lone_slash_is_a_command_typed_no_further(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    # Telegram marks no command in "/": still not a search for "/", nor a timezone.
    for typed in ("/", "/   "):
        [reply] = tg.ask(user, typed)
        assert reply.text == "I don't know /. /help lists what I can do.", reply.text
    tg.ask(user, "/subscribe 7:30 berlin")
    ask_zone(tg, user)
    [reply] = tg.ask(user, "/")
    assert reply.text == "I don't know /. /help lists what I can do.", reply.text
    [card] = tg.ask(user, "Paris")  # the question is still open
    assert "Timezone: Europe/Paris" in card.text


def test_the_page_counter_says_where_you_are_and_unfollow_says_what_stopped(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [found] = tg.ask(user, "/search markets")
    counter = found.button("1/3")
    query = tg.press_button(found.message_id, counter.callback_data or "", user_id=user)
    assert tg.callback_answer(query).text == "Page 1 of 3; ◀ ▶ turn the pages"
    # ✖ on /unfollow's buttons says what stopped; a second ✖ for it (another message) too.
    tg.ask(user, "/follow elecion, topic:markets")
    [menu] = tg.ask(user, "/unfollow")
    [card] = tg.ask(user, "/alerts")
    for message, label, toast in [
        (menu, "✖ elecion", "Unfollowed “elecion”"),
        (menu, "✖ topic: Markets", "Unfollowed topic “Markets”"),
        (card, "✖ elecion", "You no longer follow that."),
    ]:
        mark = tg.mark()
        query = tg.press_button(message.message_id, message.button(label).callback_data or "",
                                user_id=user, strict=False)  # fmt: skip
        assert tg.callback_answer(query).text == toast
        message = tg.wait_for_edit(user, message.message_id, after=mark)
    assert "You follow nothing yet" in message.text
