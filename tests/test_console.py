"""On a terminal: the README's run command with no token opens a console chat; loads show a bar."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PROJECT

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def on_a_terminal(
    args: list[str],
    lines: list[str],
    tmp_path: Path,
    seeds: Path,
    timeout: float = 120,
    extra_env: dict[str, str] | None = None,
) -> tuple[int, str]:
    """Run `run_bot.py ARGS` on a pseudo-terminal, type `lines`; (exit code, what it showed).

    A lone surrogate in a line types the byte it stands for ("\\udcd0": 0xD0, not UTF-8)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
    env.update(extra_env or {})
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    env["SEEDS_DIR"] = str(seeds)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "run_bot.py"), *args],
        stdin=terminal, stdout=terminal, stderr=terminal, env=env, cwd=tmp_path,
    )  # fmt: skip
    os.close(terminal)
    os.write(controller, "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape"))
    shown = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the process has closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return code, ANSI.sub("", shown.decode("utf-8", errors="replace").replace("\r\n", "\n"))


def test_console_chat_answers_commands_buttons_and_inline_queries(tmp_path: Path) -> None:
    typed = ["/latest", "/search putn syrai", "1", "@ courage", "r1", "/nonsense", "/quit"]
    code, shown = on_a_terminal([], typed, tmp_path, PROJECT / "seeds")
    assert code == 0
    assert "Local console chat" in shown
    # Each answer comes before the next prompt, in the order asked.
    latest = shown.index("📰 Latest news")
    search = shown.index("🔎 Results for “putn syrai”", latest)
    summary = shown.index("• The U.N. Syria envoy", search)  # button 1: the first summary
    inline = shown.index("inline results for “courage”", summary)
    posted = shown.index("Read it with @", inline)  # r1 posted into the chat via the bot
    help_hint = shown.index("/help", posted)
    assert help_hint > posted
    assert "[1] 1. Summary   [2] 1. Full text" in shown
    assert "[r1] UN Syria envoy urges Putin" in shown
    assert "Traceback" not in shown


def test_a_question_asked_for_a_reply_is_answered_by_the_next_line(tmp_path: Path) -> None:
    # Button 3 of the settings card is 🌍 Timezone: the bot asks, and the next line answers
    # it, as Telegram's app makes the next message a reply (force_reply).
    typed = ["/subscribe 7:30 berlin", "/settings", "3", "tokio", "/quit"]
    code, shown = on_a_terminal([], typed, tmp_path, PROJECT / "seeds")
    assert code == 0
    assert "[3] 🌍 Timezone" in shown
    asked = shown.index("Which timezone?")
    assert "(your next line answers this)" in shown[asked:]
    assert "Timezone: Asia/Tokyo" in shown[asked:]
    assert "Nothing found" not in shown


def test_the_next_line_says_which_of_two_times_is_meant(tmp_path: Path) -> None:
    typed = ["/subscribe 7:30 8:00 tokio", "8:00", "/quit"]
    code, shown = on_a_terminal([], typed, tmp_path, PROJECT / "seeds")
    assert code == 0
    asked = shown.index("Which time do you mean: 7:30 or 8:00?")
    assert "every day at 08:00 (Asia/Tokyo)" in shown[asked:]
    assert "Showing results for" not in shown and "🔎" not in shown


def test_the_console_says_who_you_are_and_keeps_its_log_out_of_the_chat(tmp_path: Path) -> None:
    typed = ["/stats", "/quit"]
    env = {"LOG_LEVEL": "DEBUG", "ADMIN_IDS": "1001"}
    code, shown = on_a_terminal([], typed, tmp_path, PROJECT / "seeds", extra_env=env)
    assert code == 0
    assert (
        "You are user 1001 (an admin: /reload, /stats, /senddigests, /broadcast, /feeds)" in shown
    )
    assert f"The log goes to {tmp_path / 'console.log'}" in shown
    assert "📊" in shown or "Articles" in shown  # /stats answered: the user is an admin
    assert not re.search(r"\d{2}:\d{2}:\d{2},\d{3} (DEBUG|INFO|WARNING) ", shown)
    assert " DEBUG " in (tmp_path / "console.log").read_text()
    code, shown = on_a_terminal([], ["/quit"], tmp_path, PROJECT / "seeds")
    assert "ADMIN_IDS=1001 makes you an admin" in shown


def test_seeds_load_on_a_terminal_shows_a_progress_bar(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(300):
        (seeds / f"{i:03d}.txt").write_text(f"Harbour report {i}\n\nBoats came in at dawn.\n")
    code, shown = on_a_terminal(["seeds", "load"], [], tmp_path, seeds)
    assert code == 0
    assert "Loading seeds" in shown and "300/300" in shown and "file" in shown
    assert re.search(r"^  added +300$", shown, re.MULTILINE)  # then the report


def test_a_session_logs_at_info_to_its_file_and_slips_are_said_not_searched(
    tmp_path: Path,
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(60):
        (seeds / f"{i:02d}.txt").write_text(f"Harbour report {i}\n\nBoats came in at dawn.\n")
    # Buttons 1-10 are the five stories' Summary / Full text, 11 the page counter "1/10".
    feed = "http://127.0.0.1:1/rss.xml"  # nothing listens there: the fetch fails
    typed = ["/latest 1000", "11", "999", "r9", "/reload", f"/feeds add {feed}", "/feeds", "/quit"]
    env = {"ADMIN_IDS": "1001"}  # LOG_LEVEL left at its default, INFO
    code, shown = on_a_terminal([], typed, tmp_path, seeds, extra_env=env)
    assert code == 0
    latest = shown.index("📰 Latest news (1–5 of 50)\nAt most 50 in one list.")
    assert "[11] 1/10   [12] ▶" in shown
    toast = shown.index("🔔 Page 1 of 10; ◀ ▶ turn the pages", latest)
    button = shown.index("(no button 999 here; /search 999 searches for it)", toast)
    result = shown.index("(no inline result r9 here", button)
    reloaded = shown.index("✅ Seeds from", result)
    shown.index("failing", reloaded)
    assert "Nothing found" not in shown
    # The log has the start-up load, the reload, the bot's life and its trouble; none of it
    # on the screen, and no request URLs (httpx stays at WARNING: a URL holds the token).
    log = (tmp_path / "console.log").read_text()
    assert log.count("INFO bot.store: seeds from") == 2 and "reload of" in log
    assert f"WARNING bot.feeds.poller: feed {feed}: cannot connect" in log
    assert "Application started" in log and "httpx" not in log and "/bot" not in log
    assert not re.search(r"\d{2}:\d{2}:\d{2},\d{3} (INFO|WARNING) ", shown)


def test_a_line_cut_in_the_middle_of_a_letter_is_answered_and_so_are_the_next(
    tmp_path: Path,
) -> None:
    # A terminal keeps about 4,095 bytes of a line: 5,000 Cyrillic letters (two bytes each)
    # are cut inside a letter, and Python reads the half left as a lone surrogate, as it
    # reads the byte 0xD0 alone of the next line.
    typed = ["ы" * 5000, "новости \udcd0", "/latest", "/quit"]
    code, shown = on_a_terminal([], typed, tmp_path, PROJECT / "seeds")
    assert code == 0
    cut = shown.index("Nothing found for “ыыыы")
    byte = shown.index("Nothing found for “новости �”", cut)
    shown.index("📰 Latest news", byte)
    assert "Traceback" not in shown
    assert "surrogates not allowed" not in (tmp_path / "console.log").read_text()


def test_the_bot_greets_you_by_your_login_name(tmp_path: Path) -> None:
    env = {"LOGNAME": "masha", "CONSOLE_LANGUAGE": "ru"}  # the login name getpass finds first
    code, shown = on_a_terminal([], ["/start", "/quit"], tmp_path, PROJECT / "seeds", extra_env=env)
    assert code == 0
    assert "👋 Привет, masha!" in shown
