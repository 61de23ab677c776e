"""Admin commands end to end: who may use them, reloads under load, stats, digests, broadcasts."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fakeapi.threaded import FakeTelegramThread
from tests.conftest import PROJECT
from tests.e2e.harness import ADMIN_ID, BotProcess, e2e_corpus, fresh_fake, query_db, wait_until

pytestmark = pytest.mark.e2e

ADMIN_COMMANDS = ["/reload", "/stats", "/senddigests", "/broadcast hello"]
FOR_ADMINS = "This command is for admins."
_ids = itertools.count(700_000)


tg = pytest.fixture(scope="module", name="tg")(fresh_fake)


@pytest.fixture(scope="module")
def admin_bot(
    tg: FakeTelegramThread,
    tmp_path_factory: pytest.TempPathFactory,
    module_database: dict[str, str],
) -> Iterator[BotProcess]:
    bot = BotProcess(tg, tmp_path_factory.mktemp("admin-bot"), extra_env=module_database)
    # Early morning (UTC): no subscriber's digest (08:00 by default) falls due on its own
    # while the tests send them on demand.
    bot.set_clock(datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0))
    e2e_corpus(bot.seeds)
    bot.start()
    tg.ask(ADMIN_ID, "/start")
    yield bot
    bot.stop()


def test_everyone_else_is_refused_in_private_and_in_groups(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    user = next(_ids)
    for command in ADMIN_COMMANDS:
        [reply] = tg.ask(user, command)
        assert reply.text == FOR_ADMINS
    group = tg.add_group(title="Newsroom")["id"]
    for command in ADMIN_COMMANDS:
        mark = tg.mark()
        tg.send_group_message(group, user, command)
        [reply] = tg.wait_for_messages(group, 1, after=mark)
        assert reply.text == FOR_ADMINS
    # The admin, in the same group, is obeyed.
    mark = tg.mark()
    tg.send_group_message(group, ADMIN_ID, "/stats")
    [reply] = tg.wait_for_messages(group, 1, after=mark)
    assert reply.text.startswith("📊 Bot health")


def test_admin_commands_show_in_the_admins_menu_only(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    everyone = {c["command"] for c in tg.commands()}
    admins = {c["command"] for c in tg.commands({"type": "chat", "chat_id": ADMIN_ID})}
    assert "reload" not in everyone and "latest" in everyone
    assert "cancel" in everyone  # a question the bot asked can be left from the menu
    assert {"reload", "stats", "senddigests", "broadcast", "latest"} <= admins


def test_reload_with_bad_files_while_others_search(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    seeds = admin_bot.seeds
    bulk = seeds / "bulk"
    bulk.mkdir()
    for i in range(1500):  # enough files for the reload to take a while
        (bulk / f"{i:04d}.json").write_text(
            json.dumps({"title": f"Bulk item {i} on fisheries", "body": f"Catch report {i}."})
        )
    (seeds / "zeppelin.txt").write_text("Zeppelin returns to the skies\n\nAirships are back.\n")
    (seeds / "empty.txt").write_text("")
    (seeds / "binary.dat").write_bytes(b"\x00\x01garbage\x00" * 50)
    (seeds / "broken.json").write_text('{"title": ')
    searchers = [next(_ids) for _ in range(20)]
    answered: list[str] = []

    def search_meanwhile() -> None:
        for user in searchers:
            [reply] = tg.ask(user, "/search markets report", timeout=30)
            answered.append(reply.text)

    mark = tg.mark()
    tg.send_message(ADMIN_ID, "/reload")
    [progress] = tg.wait_for_messages(ADMIN_ID, 1, after=mark)
    assert progress.text.startswith("⏳")
    others = threading.Thread(target=search_meanwhile)
    others.start()
    [busy] = tg.ask(ADMIN_ID, "/reload")
    assert "running already" in busy.text
    wait_until(
        lambda: tg.message(ADMIN_ID, progress.message_id).text.startswith("✅"), 60, "the report"
    )
    report = tg.message(ADMIN_ID, progress.message_id)
    others.join(60)
    assert len(answered) == 20 and all(text.startswith("🔎 Results") for text in answered)
    text = report.text
    assert "added" in text and "1501" in text  # 1,500 bulk items and the zeppelin
    assert "empty.txt: empty" in text and "broken.json: invalid JSON" in text
    assert "binary.dat: binary content" in text
    # At most about one progress edit a second (history[0] is the message as first sent).
    progress_edits = [v.at for v in report.history[1:]]
    assert all(b - a >= 0.9 for a, b in itertools.pairwise(progress_edits))
    print(f"\nreload: {len(progress_edits)} progress edits, then the report")
    # Searchable as soon as the report is there.
    [found] = tg.ask(next(_ids), "/search zeppelin skies")
    assert "Zeppelin returns to the skies" in found.text


def test_help_shows_admins_their_commands_too(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    [mine] = tg.ask(ADMIN_ID, "/help")
    assert "For admins" in mine.text and "/senddigests" in mine.text and "/latest" in mine.text
    [theirs] = tg.ask(next(_ids), "/help")
    assert "/latest" in theirs.text and "For admins" not in theirs.text


def test_stats_show_the_health_figures(admin_bot: BotProcess, tg: FakeTelegramThread) -> None:
    tg.ask(next(_ids), "/search markets")
    [reply] = tg.ask(ADMIN_ID, "/stats")
    text = reply.text
    assert text.startswith("📊 Bot health")
    assert "Articles:" in text and "live" in text and "retracted" in text
    assert "Subscribers:" in text and "Digests today (UTC):" in text
    assert re.search(r"Last reload: [\d-]+ [\d:]+ UTC \((start-up|admin 9000)\): added", text)
    assert "Uptime:" in text
    assert "Digest schedule: 1 instance running, last tick" in text
    assert "/search" in text and "p95 ms" in text


def test_send_digests_now_and_twice_sends_nothing_more(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    readers = [next(_ids) for _ in range(3)]
    for reader in readers:
        tg.ask(reader, "/subscribe 23:59")
    mark = tg.mark()
    tg.send_message(ADMIN_ID, "/senddigests")
    [_, done] = tg.wait_for_messages(ADMIN_ID, 2, after=mark, timeout=60)
    assert "3 sent" in done.text
    for reader in readers:
        [digest] = tg.messages(reader, after=mark)
        assert digest.text.startswith("🗞 Your daily digest")
    mark = tg.mark()
    tg.send_message(ADMIN_ID, "/senddigests")
    [_, again] = tg.wait_for_messages(ADMIN_ID, 2, after=mark, timeout=60)
    assert "0 sent" in again.text and "3 had today's already" in again.text
    assert not [m for r in readers for m in tg.messages(r, after=mark)]


def test_broadcast_after_confirmation_reaches_subscribers(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    reader, blocker = next(_ids), next(_ids)
    for user in (reader, blocker):
        tg.ask(user, "/subscribe")
    tg.block(blocker)
    [confirm] = tg.ask(ADMIN_ID, "/broadcast Maintenance <tonight> & tomorrow")
    assert "Send this announcement" in confirm.text
    # A non-admin pressing the admin's button is refused.
    query = tg.press_button(confirm.message_id, confirm.button("Send").callback_data or "",
                            user_id=reader, chat_id=ADMIN_ID)  # fmt: skip
    assert tg.callback_answer(query).text == FOR_ADMINS
    assert not tg.messages(reader, after=tg.mark() - 1)
    mark = tg.mark()
    tg.press_button(confirm.message_id, confirm.button("Send").callback_data or "",
                    user_id=ADMIN_ID)  # fmt: skip
    wait_until(
        lambda: any("Announcement sent" in m.text for m in tg.messages(ADMIN_ID, after=mark)),
        60,
        "the broadcast report",
    )
    [announcement] = tg.messages(reader, after=mark)
    assert announcement.text == "📢 Maintenance <tonight> & tomorrow"
    report = next(m for m in tg.messages(ADMIN_ID, after=mark) if "Announcement sent" in m.text)
    assert "1 blocked" in report.text
    # Pressing again sends nothing twice.
    mark = tg.mark()
    tg.press_button(confirm.message_id, confirm.button("Send").callback_data or "",
                    user_id=ADMIN_ID, strict=False)  # fmt: skip
    [again] = tg.wait_for_messages(ADMIN_ID, 1, after=mark)
    assert "already" in again.text
    assert not tg.messages(reader, after=mark)


def test_errors_are_reported_to_admins_once_a_minute(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    user = next(_ids)
    mark = tg.mark()
    for _ in range(3):
        # Telegram refuses the reply: the handler fails, the error handler takes over.
        tg.fail_next("sendMessage", 400, "Bad Request: something odd happened", count=1)
        [sorry] = tg.ask(user, "/help")
        assert sorry.text == "Something went wrong, please try again."
    notices = [m for m in tg.messages(ADMIN_ID, after=mark) if m.text.startswith("⚠️")]
    assert len(notices) == 1
    assert "BadRequest" in notices[0].text and "/help" in notices[0].text
    assert tg.token not in admin_bot.log()


def test_cli_stats_and_digests_send(admin_bot: BotProcess, tg: FakeTelegramThread) -> None:
    env = admin_bot.env()
    stats = subprocess.run(
        [sys.executable, str(PROJECT / "run_bot.py"), "stats"],
        env=env, cwd=admin_bot.workdir, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.startswith("📊 Bot health") and "Subscribers:" in stats.stdout
    assert "Digest schedule: 1 instance running" in stats.stdout  # the bot, seen from outside
    reader = next(_ids)
    tg.ask(reader, "/subscribe 23:59")
    mark = tg.mark()
    sent = subprocess.run(
        [sys.executable, str(PROJECT / "run_bot.py"), "digests", "send"],
        env=env, cwd=admin_bot.workdir, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    # Everyone subscribed without today's digest gets one: the new reader among them.
    assert sent.stdout.startswith("Digests: ") and "0 failed" in sent.stdout
    [digest] = tg.messages(reader, after=mark)
    assert digest.text.startswith("🗞 Your daily digest")
    [(status,)] = query_db(
        admin_bot,
        "SELECT d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id "
        "WHERE s.chat_id = ?",
        reader,
    )
    assert status == "sent"


def test_answer_times_are_counted_under_what_the_text_was(
    admin_bot: BotProcess, tg: FakeTelegramThread
) -> None:
    def counts() -> dict[str, int]:
        [reply] = tg.ask(ADMIN_ID, "/stats")
        rows = re.findall(r"^(text search|question reply) +(\d+) ", reply.text, re.MULTILINE)
        return {name: int(n) for name, n in rows}

    before = counts()
    user = next(_ids)
    tg.ask(user, "markets")  # a search
    [question] = tg.ask(user, "/subscribe 7:30 qqxqq")
    assert "I don't know the timezone" in question.text  # a question, open for the next text
    tg.ask(user, "berlin")  # the reply to the bot's question
    grown: dict[str, int] = {}

    def both_counted() -> bool:
        grown.update({k: v - before.get(k, 0) for k, v in counts().items()})
        return grown.get("question reply", 0) >= 1

    wait_until(both_counted, 10, "the reply's answer time")
    # Each text once, under what it was: the search is not also an "answer", nor the reply.
    assert grown == {"text search": 1, "question reply": 1}
