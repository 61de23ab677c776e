"""Chatting with the real bot process over HTTP, as a Telegram user would."""

from __future__ import annotations

import re

import pytest

from fakeapi.models import SentMessage
from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

SEED_TITLE = "UN Syria envoy urges Putin to have 'courage' to push Assad"


def bold_spans(message: SentMessage) -> list[str]:
    """The texts Telegram would show in bold."""
    units = message.text.encode("utf-16-le")
    return [
        units[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le")
        for e in message.entities
        if e["type"] == "bold"
    ]


def short_id_of(tg: FakeTelegramThread, user: int, title: str) -> str:
    [reply] = tg.ask(user, f"/search {title}")
    found = re.search(r"· ([2-9a-z]{6})\n", reply.text)
    assert found, reply.text
    return found.group(1)


def test_start_welcomes_with_buttons_and_sets_the_menu(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/start", first_name="Ann")
    assert reply.text.startswith("👋 Hi Ann!")
    assert "/latest" in reply.text and "/search" in reply.text and "/subscribe" in reply.text
    assert [b.text for b in reply.all_buttons] == ["📰 Latest news", "🔔 Daily digest"]
    commands = {c["command"] for c in tg.commands()}
    assert {"latest", "search", "summary", "article", "subscribe", "help"} <= commands
    # The Latest news button answers with the newest articles.
    mark = tg.mark()
    tg.press_button(reply.message_id, reply.button("Latest").callback_data or "", user_id=user)
    [latest] = tg.wait_for_messages(user, 1, after=mark)
    assert latest.text.startswith("📰 Latest news")


def test_help_lists_every_command_with_an_example(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/help")
    for command in ["/latest", "/search", "/summary", "/article", "/subscribe", "/unsubscribe",
                    "/settings", "/digest"]:  # fmt: skip
        assert command in reply.text
    assert "/search putin syria" in reply.text


def test_latest_pages_with_buttons_that_edit_the_message(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [page1] = tg.ask(user, "/latest")
    assert "(1–5 of 15)" in page1.text
    assert page1.text.count("\n\n") == 5  # heading + 5 entries
    # Newest first: the market reports are from March 2024, the AP seed from 2017.
    assert "Markets report number 12" in page1.text.split("\n\n")[1]
    assert "12 Mar 2024, 09:00 UTC · Example Wire" in page1.text
    assert [b.text for b in page1.buttons[0]] == ["1. Summary", "1. Full text"]
    assert [b.text for b in page1.buttons[-1]] == ["1/3", "▶"]
    mark = tg.mark()
    tg.press_button(page1.message_id, page1.button("▶").callback_data or "", user_id=user)
    page2 = tg.wait_for_edit(user, page1.message_id, after=mark)
    assert "(6–10 of 15)" in page2.text
    assert [b.text for b in page2.buttons[-1]] == ["◀", "2/3", "▶"]
    mark = tg.mark()
    tg.press_button(page2.message_id, page2.button("◀").callback_data or "", user_id=user)
    back = tg.wait_for_edit(user, page1.message_id, after=mark)
    assert "(1–5 of 15)" in back.text
    assert not tg.messages(user, after=mark)  # edited in place, nothing new sent


def test_latest_with_a_count_and_a_topic(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [three] = tg.ask(user, "/latest 3")
    assert "(1–3 of 3)" in three.text
    [world] = tg.ask(user, "/latest world")
    assert "on World" in world.text and SEED_TITLE in world.text and "Markets" not in world.text
    [typo] = tg.ask(user, "/latest markts")
    assert "on Markets" in typo.text and "(1–5 of 12)" in typo.text
    [unknown] = tg.ask(user, "/latest astrology")
    assert "no topic “astrology”" in unknown.text and "Markets" in unknown.text


def test_search_forgives_typos_and_bolds_matches(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/search syrai envoy putni")  # 5 letters: one typo allowed
    assert "Showing results for syria envoy putin" in reply.text
    first = reply.text.split("\n\n")[1]
    assert SEED_TITLE in first
    assert {"Syria", "envoy", "Putin"} <= set(bold_spans(reply))


def test_search_pages_and_plain_text_searches(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "markets report shares")
    assert reply.text.startswith("🔎 Results for “markets report shares”")
    # Twelve reports hold all three words; the parliament report, holding only "report", is
    # not brought in: enough articles hold them all.
    assert "(1–5 of 12)" in reply.text
    mark = tg.mark()
    tg.press_button(reply.message_id, reply.button("▶").callback_data or "", user_id=user)
    page2 = tg.wait_for_edit(user, reply.message_id, after=mark)
    assert "(6–10 of 12)" in page2.text
    mark = tg.mark()
    tg.press_button(reply.message_id, page2.button("▶").callback_data or "", user_id=user)
    page3 = tg.wait_for_edit(user, reply.message_id, after=mark)
    assert "(11–12 of 12)" in page3.text and "parliament" not in page3.text


def test_long_query_pages_from_the_message_text(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    query = "markets report shares bonds traders watched the central bank analysts volatility"
    [reply] = tg.ask(user, f"/search {query}")
    data = reply.button("▶").callback_data or ""
    assert len(data.encode()) <= 64 and data.startswith("T|")  # the query did not fit
    mark = tg.mark()
    tg.press_button(reply.message_id, data, user_id=user)
    page2 = tg.wait_for_edit(user, reply.message_id, after=mark)
    assert f"Results for “{query}”" in page2.text and "(6–10 of" in page2.text


def test_empty_and_fruitless_searches_get_advice(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [empty] = tg.ask(user, "/search")
    assert "What should I look for?" in empty.text
    [none] = tg.ask(user, "/search zzyzx qwxv")
    assert "Nothing found" in none.text and "/latest" in none.text


def test_summary_by_id_by_words_and_newest(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    short_id = short_id_of(tg, user, "UN Syria envoy urges Putin")
    [by_id] = tg.ask(user, f"/summary {short_id}")
    assert by_id.text.startswith(SEED_TITLE)
    assert "14 Dec 2017, 13:20 UTC · The Associated Press" in by_id.text and "GENEVA" in by_id.text
    bullets = [line for line in by_id.text.splitlines() if line.startswith("• ")]
    assert len(bullets) == 3
    assert bullets[0].startswith("• The U.N. Syria envoy has called on")
    [by_words] = tg.ask(user, "/summary syria envoy courage")
    assert by_words.text.startswith(SEED_TITLE)
    [newest] = tg.ask(user, "/summary")
    assert newest.text.startswith("Markets report number 12")
    [id_and_more] = tg.ask(user, f"/summary {short_id} please")
    assert id_and_more.text.startswith(SEED_TITLE)
    [by_words_in_full] = tg.ask(user, "/article syria envoy courage")  # like /summary
    assert by_words_in_full.text.startswith(SEED_TITLE)
    assert "driven over 12 million from their homes." in by_words_in_full.text
    # The Full text button sends the article.
    mark = tg.mark()
    tg.press_button(by_id.message_id, by_id.button("Full text").callback_data or "", user_id=user)
    [full] = tg.wait_for_messages(user, 1, after=mark)
    assert "driven over 12 million from their homes." in full.text


def test_long_article_is_split_at_paragraphs(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    short_id = short_id_of(tg, user, "A very long report on parliament")
    # 24 paragraphs of about 1,060 characters: three fit in a message, so eight messages.
    parts = tg.ask(user, f"/article {short_id}", count=8, timeout=15)
    assert all(len(p.text) <= 4096 for p in parts)
    joined = "\n\n".join(p.text for p in parts)
    assert all(f"Paragraph {i} of the parliament report." in joined for i in range(1, 25))
    # Split only between paragraphs: every message after the first starts a paragraph.
    assert all(p.text.startswith("Paragraph ") for p in parts[1:])


def test_deep_link_opens_the_article(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    short_id = short_id_of(tg, user, "UN Syria envoy urges Putin")
    [reply] = tg.ask(user, f"/start a_{short_id}")
    assert reply.text.startswith(SEED_TITLE)
    assert "The U.N. Syria envoy has called on" in reply.text


def test_unknown_ids_commands_and_html_in_articles(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [bad_id] = tg.ask(user, "/article zzzzzz")
    assert "No article with the id “zzzzzz”" in bad_id.text
    [bad_link] = tg.ask(user, "/start a_<b>nope")
    assert "No article with the id" in bad_link.text
    [unknown] = tg.ask(user, "/frobnicate now")
    assert "I don't know /frobnicate" in unknown.text and "/help" in unknown.text
    [html] = tg.ask(user, "/summary tags brackets script")
    assert html.text.startswith("Tags <b>&</b> brackets in a <script> title")
    assert "Example <Wire>" in html.text
    assert not tg.errors(include_injected=False)


def test_stale_and_foreign_buttons_get_a_clear_answer(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [reply] = tg.ask(user, "/latest")
    query = tg.press_button(reply.message_id, "x|old-format", user_id=user, strict=False)
    answer = tg.callback_answer(query)
    assert answer.text and "no longer valid" in answer.text
    query = tg.press_button(reply.message_id, "M|zzzzzz", user_id=user, strict=False)
    tg.callback_answer(query)
    [gone] = tg.wait_for_messages(user, 1, after=tg.mark() - 1)
    assert "has been withdrawn" in gone.text  # no id was typed: the button's article is gone


def test_inline_mode_lists_pages_and_posts_a_summary(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    query_id = tg.inline_query(user, "markets report")
    answer = tg.inline_answer(query_id)
    assert 1 <= len(answer.results) <= 50
    first = answer.results[0]
    assert first["title"].startswith("Markets report number")
    assert first.get("description")
    everything = tg.inline_answer(tg.inline_query(user, ""))
    assert len(everything.results) == 15 and everything.next_offset == ""
    group = tg.add_group(title="Friends")["id"]
    posted = tg.choose_inline_result(user, query_id, first["id"], chat_id=group)
    assert posted["text"].startswith("Markets report number")
    [button] = [b for row in posted["reply_markup"]["inline_keyboard"] for b in row]
    assert button["url"] == f"https://t.me/{tg.bot_username}?start=a_{first['id']}"


@pytest.mark.parametrize(
    "text",
    [
        "/search " + "x" * 10_000,
        "/search 🙂🙂🙂 🎉",
        "/search שלום עולם",
        "/search \x00putin",
        '/search "NEAR( putin * -syria: AND OR',
        "<script>alert(1)</script>",
        "/summary <b>",
        "/latest -5 <i>",
        "/article " + "a" * 500,
    ],
)
def test_hostile_input_gets_a_short_valid_reply(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int, text: str
) -> None:
    [reply] = tg.ask(user, text)
    assert 0 < len(reply.text) <= 4096
    assert "Something went wrong" not in reply.text
    assert not tg.errors(include_injected=False)


def test_buttons_sent_before_a_restart_still_work(
    chat_bot: BotProcess, tg: FakeTelegramThread, user: int
) -> None:
    [page1] = tg.ask(user, "/latest")
    [results] = tg.ask(user, "/search markets report")
    chat_bot.stop()
    chat_bot.start()
    mark = tg.mark()
    tg.press_button(page1.message_id, page1.button("▶").callback_data or "", user_id=user)
    assert "(6–10 of 15)" in tg.wait_for_edit(user, page1.message_id, after=mark).text
    mark = tg.mark()
    tg.press_button(
        results.message_id, results.button("2. Summary").callback_data or "", user_id=user
    )
    [summary] = tg.wait_for_messages(user, 1, after=mark)
    assert summary.text.startswith("Markets report number")
