"""A local console chat: the real bot against the fake Bot API in this process, no token needed.

You type as a Telegram user; the bot's replies print with their buttons numbered, and typing a
number presses one. `@ words` runs an inline query; `/quit` (or Ctrl-D) leaves.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from bot.application import STOPPED_STARTING, App, build_application, run_polling
from bot.i18n import ENGLISH, Translator, supported, translator
from bot.rendering import console as lines_for
from bot.settings import PROJECT_DIR, Settings
from fakeapi.models import SentMessage
from fakeapi.threaded import FakeTelegramThread
from handlers import COMMANDS

USER_ID = 1001  # you, in the console chat: ADMIN_IDS=1001 to try the admin commands
LOG_NAME = "console.log"
# After each line, wait for the bot's answer before prompting again (so that replies and
# prompts do not interleave): the first message, then any that follow it closely (a long
# article comes in several). The console runs on a terminal only (bot/cli.py's run_bot).
REPLY_WAIT = 15.0
AFTER_PRESS_WAIT = 3.0  # a press already answered may change nothing (the page shown already)
REPLY_SETTLE = 0.3
_RESULT = re.compile(r"r\d+", re.ASCII)  # `r3`: the third inline result shown
# Python's stand-ins for bytes stdin could not decode (a line a terminal cut inside a letter
# ends in half of it, '\udcd0'): Telegram takes no such text (the fake answers 400).
_SURROGATE = re.compile("[\ud800-\udfff]")
_STYLES = {"bold": "\033[1m", "italic": "\033[3m", "code": "\033[36m", "pre": "\033[36m"}
_RESET = "\033[0m"


def styled(text: str, entities: list[dict[str, Any]], colour: bool) -> str:
    """Telegram's plain text and entities (UTF-16 offsets) as terminal text."""
    if not colour or not entities:
        return text
    units = text.encode("utf-16-le")
    marks: dict[int, list[str]] = {}
    for entity in entities:
        style = _STYLES.get(entity.get("type", ""))
        if style:
            marks.setdefault(entity["offset"], []).append(style)
            marks.setdefault(entity["offset"] + entity["length"], []).append(_RESET)
    out, last = [], 0
    for at in sorted(marks):
        out.append(units[last * 2 : at * 2].decode("utf-16-le", errors="replace"))
        out.extend(sorted(marks[at], key=lambda m: m != _RESET))  # close before opening
        last = at
    out.append(units[last * 2 :].decode("utf-16-le", errors="replace"))
    return "".join(out)


def readable(line: str) -> str:
    """A typed line as text Telegram takes: undecodable bytes rejoined where they make a
    letter, else each shown as �."""
    if not _SURROGATE.search(line):
        return line
    # surrogateescape gives back the bytes of \udc80-\udcff; other surrogates are no bytes.
    escaped = _SURROGATE.sub(lambda m: m[0] if m[0] >= "\udc80" else "\ufffd", line)
    return escaped.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def login_name() -> str:
    """Your first name in the console chat: your login name, as names are not translated (a
    fixed "You" greeted a Russian reader as "Привет, You!"); your user id if there is none."""
    try:
        name = getpass.getuser()  # LOGNAME, USER, ..., else the password database
    except (OSError, KeyError):
        name = ""
    return readable(name).strip()[:64] or str(USER_ID)  # Telegram: 1-64 characters


@dataclass
class Console:
    """The terminal side: prints what the bot sends, turns what you type into updates."""

    tg: FakeTelegramThread
    out: TextIO = sys.stdout
    colour: bool = True
    tr: Translator = ENGLISH  # the console's language, sent as the user's language_code
    first_name: str = field(default_factory=login_name)
    buttons: dict[int, tuple[int, str]] = field(default_factory=dict)  # number -> (msg, data)
    results: dict[str, tuple[str, str]] = field(default_factory=dict)  # r1 -> (query, result)
    # A question asked with force_reply: like Telegram's app, the next line answers it.
    replying_to: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _shown: threading.Event = field(default_factory=threading.Event)

    def show(self, message: SentMessage, event: str) -> None:
        """Called on the fake server's thread for every message the bot sends or edits."""
        if event == "deleted" or message.chat_id != USER_ID:
            return
        lines = ["", (lines_for.edited(self.tr) if event == "edited" else "🤖")]
        lines.append(styled(message.text, list(message.entities), self.colour))
        row_texts = []
        for row in message.buttons:
            cells = []
            for button in row:
                if button.callback_data is not None:
                    number = len(self.buttons) + 1
                    self.buttons[number] = (message.message_id, button.callback_data)
                    cells.append(f"[{number}] {button.text}")
                elif button.url:
                    cells.append(f"[link] {button.text}: {button.url}")
            row_texts.append("   ".join(cells))
        lines.extend(row_texts)
        if (message.reply_markup or {}).get("force_reply"):
            self.replying_to = message.message_id
            lines.append(lines_for.answers_next(self.tr))
        self.write("\n".join(lines) + "\n")
        self._shown.set()

    def _wait_for_reply(self, first: float = REPLY_WAIT) -> None:
        if self._shown.wait(first):
            self._shown.clear()
            while self._shown.wait(REPLY_SETTLE):
                self._shown.clear()

    def write(self, text: str) -> None:
        with self._lock:
            self.out.write(text)
            self.out.flush()

    def handle(self, line: str) -> bool:
        """One line typed by the user; False to quit."""
        line = readable(line).strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        self._shown.clear()
        # A number presses a button and `r3` posts an inline result (README): one that names
        # none is a slip, said as such, not a search for "999".
        if line.isascii() and line.isdigit():
            if int(line) not in self.buttons:
                self.write("\n" + lines_for.no_button(self.tr, line) + "\n")
                return True
            message_id, data = self.buttons[int(line)]
            self.press(message_id, data)
            return True
        if line.startswith("@"):  # the answer is printed as it comes
            self.inline(line.split(maxsplit=1)[1] if " " in line else "")
            return True
        if _RESULT.fullmatch(line) and line not in self.results:
            self.write("\n" + lines_for.no_result(self.tr, line) + "\n")
            return True
        if line in self.results:
            query_id, result_id = self.results[line]
            self.tg.choose_inline_result(USER_ID, query_id, result_id, chat_id=USER_ID)
        else:
            answering, self.replying_to = self.replying_to, None
            self.tg.send_message(
                USER_ID,
                line,
                first_name=self.first_name,
                reply_to_message_id=answering,
                language_code=self.tr.code,
            )
        self._wait_for_reply()
        return True

    def press(self, message_id: int, data: str) -> None:
        query_id = self.tg.press_button(
            message_id, data, user_id=USER_ID, chat_id=USER_ID, strict=False
        )
        answer = self.tg.callback_answer(query_id, timeout=REPLY_WAIT)
        if answer.text:  # Telegram shows it as a toast or an alert
            self.write(f"\n🔔 {answer.text}\n")
            self._shown.set()
        self._wait_for_reply(AFTER_PRESS_WAIT)

    def inline(self, query: str) -> None:
        query_id = self.tg.inline_query(USER_ID, query)
        answer = self.tg.inline_answer(query_id, timeout=15)
        self.results.clear()
        lines = ["\n" + lines_for.inline_results(self.tr, query)]
        for number, result in enumerate(answer.results[:10], 1):
            key = f"r{number}"
            self.results[key] = (query_id, str(result.get("id")))
            lines.append(f"  [{key}] {result.get('title')}: {result.get('description') or ''}")
        lines.append(lines_for.inline_hint(self.tr, bool(answer.results)))
        self.write("\n".join(lines) + "\n")


def log_path(settings: Settings) -> Path:
    """Where the console chat's log goes: beside the SQLite file, else the project's data/."""
    url = make_url(settings.DATABASE_URL)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).expanduser().parent / LOG_NAME
    return PROJECT_DIR / "data" / LOG_NAME


def log_to_file(path: Path) -> None:
    """Send the log to `path`: lines printed in the middle of the chat would garble it. The
    handler's filters (secrets redacted) go along."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    for old in root.handlers:
        handler.setFormatter(old.formatter or logging.Formatter())
        for found in old.filters:
            handler.addFilter(found)
    root.handlers[:] = [handler]
    logging.captureWarnings(True)  # Python's warnings too: they print on stderr otherwise


def console_language(settings: Settings, environ: dict[str, str] | None = None) -> Translator:
    """CONSOLE_LANGUAGE, else the terminal's locale (`ru_RU.UTF-8` is Russian), else English."""
    if settings.CONSOLE_LANGUAGE:
        return translator(settings.CONSOLE_LANGUAGE)
    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name, ""):
            return translator(supported(value.split(".", 1)[0]))
    return ENGLISH


def banner(settings: Settings, log: Path | None, tr: Translator = ENGLISH) -> str:
    admin = USER_ID in settings.ADMIN_IDS
    return lines_for.banner(
        tr,
        USER_ID,
        admin=admin,
        log=str(log) if log is not None else None,
        admin_commands=[command.name for command in COMMANDS if command.admin],
    )


def _read_input(console: Console, stop: Callable[[], None], greeting: str = "") -> None:
    console.write(greeting)
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            break
        try:
            if not console.handle(line):
                break
        except Exception as exc:  # a console slip must not end the session
            console.write(lines_for.console_error(console.tr, str(exc)) + "\n")
    stop()


def run_console(settings: Settings, register: Callable[[App], None]) -> int:
    log: Path | None = log_path(settings)
    try:
        log_to_file(log_path(settings))
    except OSError:
        log = None  # an unwritable folder: the log stays on the terminal, for trouble only
        root = logging.getLogger()
        if root.level == logging.INFO:
            root.setLevel(logging.WARNING)
    tr = console_language(settings)
    greeting = banner(settings, log, tr)
    with FakeTelegramThread() as tg:
        console = Console(tg, colour=sys.stdout.isatty(), tr=tr)
        tg.on_bot_message(console.show)
        application = build_application(settings, register, token=tg.token, base_url=tg.base_url)

        def stop() -> None:
            # run_polling stops cleanly on SIGINT; the reader thread asks for it that way.
            os.kill(os.getpid(), signal.SIGINT)

        def read_when_ready() -> None:
            tg.wait_until_polling(timeout=120)  # seeds load before the bot polls
            _read_input(console, stop, greeting)

        threading.Thread(target=read_when_ready, daemon=True).start()
        if not run_polling(application):
            print(STOPPED_STARTING, file=sys.stderr)
    return 0
