"""Conversations in Russian and Spanish against the fake Bot API, on SQLite and PostgreSQL: the
command menu in the reader's language, search, subscribe, the digest delivered, /language, and a
group's digest settings (who may change them, its word filters) in each reader's language."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.i18n import translator
from bot.rendering.chats import only_admins, words_none_today
from fakeapi.chat_events import set_member
from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import (
    BotProcess,
    digests_by_chat,
    e2e_corpus,
    fresh_fake,
    group_says,
    on_fake,
    query_db,
    wait_until,
)

pytestmark = pytest.mark.e2e

START = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 27, 12, 30, tzinfo=UTC)  # past 08:00 in Berlin, still the 27th
_ids = itertools.count(700_000)

tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture(scope="module")
def language_bot(
    tg: FakeTelegramThread,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("language-bot"), extra_env=module_database)
    e2e_corpus(bot.seeds)
    bot.set_clock(START)
    bot.start()
    yield bot
    bot.stop()


def shown(markup: str) -> str:
    """A text as the reader sees it (the fake keeps the text without its tags)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("code", ["ru", "es"])
def test_a_conversation_in_the_readers_language(
    language_bot: BotProcess, tg: FakeTelegramThread, code: str
) -> None:
    tr = translator(code)
    user = next(_ids)
    # The menu Telegram shows an app set to this language, and English for the others.
    menu = {c["command"]: c["description"] for c in tg.commands(language_code=code)}
    assert menu["latest"] == tr._("Newest articles: /latest 10 world") != "Newest articles"
    assert "language" in menu and "reload" not in menu
    english = {c["command"]: c["description"] for c in tg.commands()}
    assert english["latest"] == "Newest articles: /latest 10 world"

    [welcome] = tg.ask(user, "/start", first_name="Ana", language_code=code)
    assert welcome.text.startswith(shown(tr._("👋 Hi {name}!", name="Ana")))
    assert [b.text for b in welcome.all_buttons] == [
        tr._("📰 Latest news"),
        tr._("🔔 Daily digest"),
    ]

    [found] = tg.ask(user, "/search markets", language_code=code)
    assert found.text.startswith(shown(tr._("🔎 Results for “{query}”", query="markets")))
    assert f"(1–5 {'из' if code == 'ru' else 'de'} 12)" in found.text
    assert found.buttons[0][0].text == tr._("{number}. Summary", number=1)
    mark = tg.mark()
    tg.press_button(found.message_id, found.button("▶").callback_data or "", user_id=user)
    page2 = tg.wait_for_edit(user, found.message_id, after=mark)
    assert f"(6–10 {'из' if code == 'ru' else 'de'} 12)" in page2.text
    # Dates with the language's month names: the market reports are from March 2024.
    assert ("мар. 2024" if code == "ru" else "mar 2024") in page2.text

    [subscribed] = tg.ask(user, "/subscribe 8:00 berlin", language_code=code)
    assert subscribed.text.startswith("🔔 " + ("Вы подписаны!" if code == "ru" else "¡Suscrito!"))
    weekday = "пт" if code == "ru" else "vie"  # Friday the 27th, in Berlin
    assert f"{weekday} 27 " in subscribed.text and "08:00" in subscribed.text

    mark = tg.mark()
    language_bot.set_clock(DUE)
    wait_until(lambda: digests_by_chat(tg, mark).get(user) == 1, 60, "the digest")
    [digest] = [m for m in tg.messages(user, after=mark) if m.text.startswith("🗞")]
    assert digest.text.startswith(shown(tr._("🗞 <b>Your daily digest</b>")))
    assert digest.text.split("\n", 1)[0].endswith(tr.date(DUE.date(), "EEE d MMM y"))
    language_bot.set_clock(START)

    # Chosen with /language, it stays, whatever the app's language.
    [menu_message] = tg.ask(user, "/language", language_code=code)
    assert [b.text for b in menu_message.all_buttons] == [
        "English",
        *(("✓ Русский", "Español") if code == "ru" else ("Русский", "✓ Español")),
    ]
    mark = tg.mark()
    tg.press_button(
        menu_message.message_id, menu_message.button("English").callback_data or "", user_id=user
    )
    chosen = tg.wait_for_edit(user, menu_message.message_id, after=mark)
    assert chosen.text == "✅ From now on I write to you in English."
    [help_text] = tg.ask(user, "/help", language_code=code)
    assert help_text.text.startswith("What I can do")
    wait_for_chat_menu(tg, user, code, english["latest"])


def wait_for_chat_menu(tg: FakeTelegramThread, user: int, app_language: str, latest: str) -> None:
    """The chat's own menu follows its choice right after the answer (a call of its own): wait
    until its /latest line reads `latest` for a reader whose app is in `app_language`."""

    def says() -> str | None:
        mine = tg.commands({"type": "chat", "chat_id": user}, language_code=app_language)
        return {c["command"]: c["description"] for c in mine}.get("latest")

    wait_until(lambda: says() == latest, 20, "the chat's menu in the language chosen")


def test_a_language_typed_after_the_command_is_chosen_at_once(
    language_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    user = next(_ids)
    # Its code or its name (in any language spoken here), in any case: no buttons needed.
    for typed, code in [("es", "es"), ("РУССКИЙ", "ru"), ("english", "en"), ("Español", "es")]:
        [chosen] = tg.ask(user, f"/language {typed}")
        assert chosen.text == shown(translator(code)._("✅ From now on I write to you in English."))
        assert not chosen.all_buttons
    [help_text] = tg.ask(user, "/help", language_code="ru")
    assert help_text.text.startswith("Lo que sé hacer")
    wait_for_chat_menu(tg, user, "ru", translator("es")._("Newest articles: /latest 10 world"))
    # One it does not speak: the ones it does, named and as buttons.
    [unknown] = tg.ask(user, "/language xx")
    assert (
        unknown.text
        == "🌐 No escribo en «xx». Escribo en English, Русский, Español: ¿cuál prefieres?"
    )
    assert [b.text for b in unknown.all_buttons] == ["English", "Русский", "✓ Español"]


def test_an_unknown_language_gets_english(language_bot: BotProcess, tg: FakeTelegramThread) -> None:
    [welcome] = tg.ask(next(_ids), "/start", first_name="Jo", language_code="de")
    assert welcome.text.startswith("👋 Hi Jo!")


def test_a_group_keeps_its_language_when_it_becomes_a_supergroup(
    language_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    group = tg.add_group(title="Lectores")["id"]
    admin = next(_ids)
    on_fake(tg, set_member, group, admin, "administrator")  # only admins change its digest
    mark = tg.mark()
    tg.send_group_message(group, admin, "/subscribe 08:00 Europe/Berlin", language_code="es")
    [confirmed] = tg.wait_for_messages(group, 1, after=mark)
    assert confirmed.text.startswith("🔔 ¡Suscrito!")
    supergroup = tg.migrate(group)
    mark = tg.mark()
    language_bot.set_clock(DUE)
    wait_until(lambda: digests_by_chat(tg, mark).get(supergroup) == 1, 60, "the digest")
    [digest] = [m for m in tg.messages(supergroup, after=mark) if m.text.startswith("🗞")]
    assert digest.text.startswith("🗞 Tu resumen diario")
    language_bot.set_clock(START)


def test_a_group_member_is_refused_in_russian_and_a_spanish_card_shows_the_words(
    language_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    ru, es = translator("ru"), translator("es")
    group = int(tg.add_group(title="Lectores", chat_type="supergroup")["id"])
    member, admin = next(_ids), next(_ids)
    on_fake(tg, set_member, group, member, "member")
    on_fake(tg, set_member, group, admin, "administrator")
    refused = group_says(tg, group, member, "/subscribe 8:00", "ru")
    assert refused.text == shown(only_admins(ru)) != shown(only_admins(es))
    assert query_db(language_bot, "SELECT count(*) FROM subscribers WHERE chat_id = ?", group) == [
        (0,)
    ]
    # No article has the required word: the filter matches nothing yet, and a note says so.
    mark = tg.mark()
    command = "/subscribe 8:00 Europe/Berlin +zebrafinch -xyz"
    tg.send_group_message(group, admin, command, language_code="es")
    subscribed, note = tg.wait_for_messages(group, 2, after=mark, timeout=20)
    assert subscribed.text.startswith("🔔 ¡Suscrito!")
    assert shown(es._("Words: {words}", words="+zebrafinch, -xyz")) in subscribed.text
    assert note.text == shown(words_none_today(es, ["+zebrafinch", "-xyz"]))

    card = group_says(tg, group, admin, "/settings", "es")
    assert "Palabras: +zebrafinch, -xyz" in card.text and "Estado: activado" in card.text
    labels = [b.text for b in card.all_buttons]
    assert es._("🔤 Words") in labels and es._("No word filters") in labels
    # The Russian member pressing a button of the Spanish card is refused in Russian.
    query_id = tg.press_button(
        card.message_id, card.button(es._("Stop digest")).callback_data or "", user_id=member,
        chat_id=group,
    )  # fmt: skip
    answer = tg.callback_answer(query_id)
    assert answer.text == only_admins(ru) and answer.show_alert
    [(active,)] = query_db(language_bot, "SELECT active FROM subscribers WHERE chat_id = ?", group)
    assert active in (True, 1)
