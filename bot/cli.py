"""The command line: run the bot (Telegram, or a local console chat) and manage seeds."""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from telegram.error import InvalidToken, NetworkError
from telegram.ext import ExtBot
from tqdm import tqdm

from bot.admin.stats import gather
from bot.application import (
    STOPPED_STARTING,
    App,
    bot_defaults,
    build_application,
    make_clock,
    run_polling,
)
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner
from bot.feeds import cli as feeds_cli
from bot.health import serve_alongside_polling
from bot.i18n import ENGLISH
from bot.logging_setup import setup_logging
from bot.rendering.admin import stats_text
from bot.rendering.reports import load_report, parse_check
from bot.rendering.seed_reasons import english
from bot.settings import Settings, SettingsError, load_settings
from bot.store import DatabaseUnavailable, missing_sqlite_file, open_database, sync_seeds
from bot.summaries.service import SummaryService
from bot.web import ListenError
from bot.webhook import limits_from
from bot.webhook import serve as serve_webhook
from storage.seeds.loader import Progress, SeedFolderError
from storage.seeds.names import shown
from storage.seeds.parsing import parse_seed
from storage.seeds.records import Rejection
from storage.seeds.scanning import SeedBytes, read_seed, scan_folder, stat_file

log = logging.getLogger(__name__)

Register = Callable[[App], None]
EXIT_USAGE = 2


def _version() -> str:
    try:
        return importlib.metadata.version("newsbot")
    except importlib.metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown (not installed)"


def _parser(prog: str = "run_bot.py") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run the news bot, or manage its article seeds.",
        epilog="With no command: runs the bot on Telegram when TELEGRAM_BOT_TOKEN is set, "
        "else opens a local console chat (on a terminal).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates by webhook (WEBHOOK_URL, WEBHOOK_SECRET) and serve GET /healthz",
    )
    commands = parser.add_subparsers(dest="command")
    seeds = commands.add_parser("seeds", help="load or check seed files")
    seed_commands = seeds.add_subparsers(dest="seeds_command", required=True)
    load = seed_commands.add_parser("load", help="sync a seed folder into the database")
    load.add_argument("--dir", type=_folder, help="the folder to load (default: SEEDS_DIR)")
    check = seed_commands.add_parser("check", help="show what the parser takes from files")
    check.add_argument("files", nargs="+", type=Path, help="seed files, or folders of them")
    commands.add_parser("stats", help="articles, subscribers, today's digests, last reload")
    digests = commands.add_parser("digests", help="digest operations")
    digest_commands = digests.add_subparsers(dest="digests_command", required=True)
    digest_commands.add_parser(
        "send", help="send today's digest now to every active subscriber who has not had it"
    )
    feeds_cli.add_parser(commands)
    return parser


def _folder(text: str) -> Path:
    if not text.strip():  # Path("") is the current directory: never what was meant
        raise argparse.ArgumentTypeError("the folder name is empty")
    return Path(text)


def _fail(message: str) -> int:
    print(f"run_bot.py: {message}", file=sys.stderr)
    return EXIT_USAGE


def _unreachable(settings: Settings, exc: NetworkError) -> int:
    """Telegram could not be reached at start-up: one line, and a failure exit so that a
    supervisor (systemd's Restart=on-failure) tries again. The base URL holds no token."""
    print(
        f"run_bot.py: cannot reach Telegram at {settings.TELEGRAM_API_BASE_URL}: {exc.message}",
        file=sys.stderr,
    )
    return 1


def main(register: Register, argv: Sequence[str] | None = None, prog: str = "run_bot.py") -> int:
    args = _parser(prog).parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(f"configuration error: {exc}")
    level = settings.LOG_LEVEL
    if args.command is not None and level == "INFO":
        # A command prints its own report: the log is for trouble. (The console chat keeps
        # INFO: its log goes to a file, bot/console.py.)
        level = "WARNING"
    secret = settings.WEBHOOK_SECRET.get_secret_value() if settings.WEBHOOK_SECRET else ""
    setup_logging(level, [settings.token or "", secret], log_format=settings.LOG_FORMAT)
    try:
        if args.command is not None:
            return _run_command(args, settings)
        if args.webhook:
            return run_webhook(settings, register)
        return run_bot(settings, register)
    except BrokenPipeError:
        # The reader went away (`seeds check seeds/* | head`): not a failure of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (DatabaseUnavailable, ListenError) as exc:
        # A failure exit: a supervisor (systemd's Restart=on-failure) tries again.
        print(f"run_bot.py: {exc}", file=sys.stderr)
        return 1


def _run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "seeds":
        if args.seeds_command == "check":
            return check_seeds(args.files)
        return asyncio.run(load_seed_folder(settings, args.dir or settings.SEEDS_DIR))
    if args.command == "stats":
        return asyncio.run(print_stats(settings))
    if args.command == "feeds":
        return asyncio.run(feeds_cli.run(args, settings, make_clock(settings)))
    return asyncio.run(send_digests(settings))  # digests send


def run_webhook(settings: Settings, register: Register) -> int:
    missing = [
        name
        for name, value in [
            ("TELEGRAM_BOT_TOKEN", settings.token),
            ("WEBHOOK_URL", settings.WEBHOOK_URL),
            ("WEBHOOK_SECRET", settings.WEBHOOK_SECRET),
        ]
        if not value
    ]
    if missing:
        return _fail(f"--webhook needs {', '.join(missing)}")
    assert settings.token is not None
    application = build_application(
        settings, register, token=settings.token, base_url=settings.TELEGRAM_API_BASE_URL
    )
    try:
        asyncio.run(serve_webhook(application, settings))
    except InvalidToken:
        return _fail("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
    except NetworkError as exc:
        return _unreachable(settings, exc)
    return 0


def check_seeds(files: Sequence[Path]) -> int:
    """Print what the parser takes from each file (each file in a folder, too); touches no
    database. Exit 1 if any is bad."""
    bad = 0
    now = datetime.now(UTC)
    for name, read in _checked_files(files):
        if isinstance(read, Rejection):
            print(f"{shown(name)}: REJECTED: {english(read)}")
            bad += 1
            continue
        result = parse_seed(read.data, name=Path(name).name, now=now)
        bad += isinstance(result, Rejection)
        print(parse_check(shown(name), result))
    return 1 if bad else 0


def _checked_files(paths: Sequence[Path]) -> Iterator[tuple[str, SeedBytes | Rejection]]:
    """(name, bytes or the reason there are none) of each file, a folder's files in order.

    A folder is read as a load reads it: nothing outside it, no FIFO opened (it would block).
    """
    for path in paths:
        if not path.is_dir():
            yield str(path), read_seed(stat_file(str(path)), "/")
            continue
        root = path.resolve()
        for stat in scan_folder(root):
            relative = os.path.relpath(stat.path, root) if stat.path.startswith("/") else stat.path
            yield os.path.join(str(path), relative), read_seed(stat, root)


async def load_seed_folder(settings: Settings, folder: Path) -> int:
    db = await open_database(settings)
    try:
        with _progress_bar() as progress:
            report = await sync_seeds(db, folder, datetime.now(UTC), progress, by="command line")
    except SeedFolderError as exc:
        return _fail(str(exc))
    finally:
        await db.dispose()
    print(load_report(ENGLISH, report))
    return 0


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A tqdm bar on a terminal; nothing when output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    # Some terminals report a size of 0x0 (`script`, a fresh `docker exec -t`), where tqdm
    # would draw nothing; shutil falls back to 80x24 there.
    columns, lines = shutil.get_terminal_size()
    with tqdm(
        total=0, unit="file", desc="Loading seeds", leave=False, ncols=columns, nrows=lines
    ) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        yield update


async def print_stats(settings: Settings) -> int:
    if missing := missing_sqlite_file(settings.DATABASE_URL):
        # Reading figures must not make an empty database where a path was mistyped.
        print(f"run_bot.py: no database at {missing}", file=sys.stderr)
        return 1
    db = await open_database(settings)
    try:
        now = make_clock(settings).now()
        stats = await gather(db, now, settings.DIGEST_TICK_SECONDS)
        print(stats_text(ENGLISH, stats, html=False))
    finally:
        await db.dispose()
    return 0


async def send_digests(settings: Settings) -> int:
    """Today's digest to every active subscriber who has not had it, as /senddigests does."""
    token = settings.token
    if token is None:
        return _fail("digests send needs TELEGRAM_BOT_TOKEN: digests go out through Telegram.")
    db = await open_database(settings)
    bot = ExtBot(
        token,
        base_url=settings.TELEGRAM_API_BASE_URL,
        rate_limiter=PacedRateLimiter(
            bulk_per_second=settings.DIGEST_RATE, paid_broadcast=settings.DIGEST_PAID_BROADCAST
        ),
        defaults=bot_defaults(),
    )
    summaries = SummaryService(db)
    try:
        async with bot:
            runner = DigestRunner(
                db=db, bot=bot, clock=make_clock(settings), summaries=summaries,
                instance=f"cli-{uuid.uuid4().hex[:8]}", rate=settings.DIGEST_RATE,
                tick_seconds=settings.DIGEST_TICK_SECONDS,
            )  # fmt: skip
            report = await runner.run(force=True)
            await runner.stop()  # leave the sending budget to the running bots
    except InvalidToken:
        return _fail("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
    except NetworkError as exc:  # from the start (getMe): each digest handles its own
        return _unreachable(settings, exc)
    finally:
        await summaries.close()
        await db.dispose()
    print(
        f"Digests: {report.sent} sent, {report.empty} with nothing new, {report.skipped} had "
        f"today's already, {report.failed} failed ({report.deactivated} blocked) "
        f"in {report.seconds:.1f} s"
    )
    return 1 if report.failed else 0


def run_bot(settings: Settings, register: Register) -> int:
    token = settings.token
    if token is None:
        # Deliberate (README): a service started without its token (stdin /dev/null under
        # systemd or docker) must fail, not open a chat that reads end of input and exits 0.
        if not sys.stdin.isatty():
            return _fail(
                "TELEGRAM_BOT_TOKEN is not set. Set it to run on Telegram, "
                "or start me on a terminal for a local console chat."
            )
        from bot.console import run_console

        return run_console(settings, register)
    application = build_application(
        settings, register, token=token, base_url=settings.TELEGRAM_API_BASE_URL
    )
    if settings.METRICS_PORT is not None:
        serve_alongside_polling(application, settings, limits_from(settings))
    try:
        ready = run_polling(application)
    except InvalidToken:
        # PTB's message quotes the token: say it in our words instead.
        return _fail("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.")
    except NetworkError as exc:
        return _unreachable(settings, exc)
    if not ready:
        print(STOPPED_STARTING, file=sys.stderr)
    return 0
