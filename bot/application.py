"""Building the PTB Application: services created in post_init, handlers registered by handlers/."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from telegram import Bot, BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.admin.broadcast import Broadcaster
from bot.admin.latency import LatencyRecorder
from bot.admin.notices import ErrorThrottle
from bot.admin.reload import Reloader
from bot.alerts.following import Following
from bot.alerts.runner import AlertRunner
from bot.chat_admins import ChatAdmins
from bot.clock import Clock, FileClock, SystemClock
from bot.commands import COMMANDS_KEY, Command
from bot.delivery.pacing import PacedRateLimiter
from bot.digests.runner import DigestRunner
from bot.feeds.manage import FeedManager
from bot.feeds.poller import FeedPoller
from bot.feeds.service import CHECK_SECONDS, FEEDS_KEY, FeedsService
from bot.flood import FloodGuard
from bot.i18n import DEFAULT, LANGUAGES, Translator, translator
from bot.languages import LanguageService
from bot.library import ArticleService
from bot.metrics import METRICS_KEY, Metrics
from bot.rendering.texts import command_menu
from bot.search.service import SearchService
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from bot.store import open_database, sync_seeds
from bot.subscriptions import SubscriptionService
from bot.summaries.service import SummaryService
from storage.seeds.loader import SeedFolderError

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"]
READY_KEY = "ready"  # bot_data: whether post_init got to its end
# Said instead of PTB's traceback when Ctrl-C (or SIGTERM) comes before the bot is ready.
STOPPED_STARTING = "run_bot.py: stopped before start-up finished."

# The Application with every generic parameter left open: handlers see it only through PTB.
App: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


def bot_defaults() -> Defaults:
    """Every message is Telegram HTML without link previews, wherever the bot is built."""
    return Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )


def make_clock(settings: Settings) -> Clock:
    return FileClock(settings.CLOCK_FILE) if settings.CLOCK_FILE else SystemClock()


def _language_codes() -> list[str | None]:
    """Menus are set for each language's app users; English is the default for the rest."""
    return [None if code == DEFAULT else code for code in LANGUAGES]


async def set_menus(bot: Bot, commands: Sequence[Command]) -> None:
    """Everyone's command menu, in each language Telegram's apps may be set to."""
    for code in _language_codes():
        await bot.set_my_commands(command_menu(translator(code), commands), language_code=code)


async def set_chat_menu(
    bot: Bot,
    chat_id: int,
    commands: Sequence[Command],
    *,
    admin: bool,
    chosen: Translator | None = None,
) -> None:
    """One chat's own menu: an admin's (with the admin commands), or a chat that chose its
    language with /language (in that language, whatever its people's apps are set to)."""
    for code in _language_codes():
        tr = chosen or translator(code)
        menu = command_menu(tr, commands, admin=admin)
        try:
            await bot.set_my_commands(menu, scope=BotCommandScopeChat(chat_id), language_code=code)
        except TelegramError as exc:  # an admin who never wrote to the bot has no chat yet
            log.info("no menu for chat %s yet (%s); it is set at their /start", chat_id, exc)
            return


async def _admin_menus(application: App, settings: Settings, services: Services) -> None:
    commands = application.bot_data.get(COMMANDS_KEY, ())
    for admin in sorted(settings.ADMIN_IDS):
        chosen = await services.languages.chosen(admin)
        await set_chat_menu(application.bot, admin, commands, admin=True, chosen=chosen)


async def _poll_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    feeds: FeedsService | None = context.bot_data.get(FEEDS_KEY)
    if feeds is not None:
        feeds.poller.tick()


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    services: Services | None = context.bot_data.get(SERVICES_KEY)
    if services is not None:
        services.digests.tick()
        services.alerts.tick()  # articles a poll or reload elsewhere brought: within a minute


def build_application(
    settings: Settings,
    register_handlers: Callable[[App], None],
    *,
    token: str,
    base_url: str,
    clock: Clock | None = None,
) -> App:
    """The bot, ready for `run_polling`; nothing touches the network or the database until then."""
    clock = clock or make_clock(settings)
    metrics = Metrics()
    # What post_init opened, closed at shutdown in reverse, even when a signal cut start-up short.
    opened = contextlib.AsyncExitStack()
    starting: list[asyncio.Task[Any]] = []

    async def post_init(application: App) -> None:
        application.bot_data[READY_KEY] = False
        task = asyncio.current_task()
        starting.extend([task] if task is not None else [])
        try:
            await start_up(application)
        finally:  # only a start-up cut short by a signal is left for post_shutdown to end
            starting.clear()
        application.bot_data[READY_KEY] = True

    async def start_up(application: App) -> None:
        db = await open_database(settings)
        opened.push_async_callback(db.dispose)
        # Sync seeds before the first update is fetched: nobody is answered from a stale store.
        try:
            await sync_seeds(db, settings.SEEDS_DIR, clock.now(), by="start-up")
        except SeedFolderError as exc:
            log.error("%s; serving the articles already stored", exc)
        search = SearchService(db, index_folder=settings.SEARCH_INDEX_DIR)
        opened.callback(search.close)
        summaries = SummaryService(db)
        opened.push_async_callback(summaries.close)
        digests = DigestRunner(
            db=db,
            bot=application.bot,
            clock=clock,
            summaries=summaries,
            instance=uuid.uuid4().hex[:12],
            rate=settings.DIGEST_RATE,
            tick_seconds=settings.DIGEST_TICK_SECONDS,
        )
        services = Services(
            settings=settings,
            db=db,
            clock=clock,
            search=search,
            articles=ArticleService(db, search),
            summaries=summaries,
            subscriptions=SubscriptionService(db, clock, settings.DEFAULT_TIMEZONE),
            digests=digests,
            following=Following(db, clock, settings.DEFAULT_TIMEZONE),
            alerts=AlertRunner(
                db=db,
                clock=clock,
                writer=digests.writer,  # one instance, one record keeper and sender
                sender=digests.sender,
                summaries=summaries,
                heartbeat_ttl=digests.heartbeat_ttl,
                default_zone=settings.DEFAULT_TIMEZONE,
            ),
            reloader=Reloader(db, settings.SEEDS_DIR, clock, search, summaries),
            broadcaster=Broadcaster(db, application.bot, clock),
            latency=LatencyRecorder(),
            error_throttle=ErrorThrottle(),
            flood=FloodGuard(),
            chat_admins=ChatAdmins(application.bot),
            languages=LanguageService(db, clock),
            started_at=clock.now(),
            bot_username=application.bot.username,
        )
        application.bot_data[SERVICES_KEY] = services

        async def new_articles(_: list[str]) -> None:
            # Searchable and summarised at once, as after a reload.
            await search.warm_up()
            summaries.start_backfill()
            services.alerts.kick()  # followers hear of them now, not at the next tick

        poller = FeedPoller(
            db,
            clock,
            instance=services.digests.instance,
            poll_minutes=settings.FEEDS_POLL_MINUTES,
            on_new=new_articles,
        )
        poller.on_report = metrics.feed_poll
        application.bot_data[FEEDS_KEY] = FeedsService(FeedManager(db, clock), poller)
        services.digests.on_report = metrics.digest_run
        await search.warm_up(wait=False)  # nobody waits for a vocabulary or an index
        summaries.start_backfill()
        await set_menus(application.bot, application.bot_data.get(COMMANDS_KEY, ()))
        await _admin_menus(application, settings, services)
        # Alive for the other instances and for /stats before the first update is answered.
        await services.digests.share_budget()
        # Schedules live in the database; the one ticking job is made anew at every start.
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            _tick,
            interval=settings.DIGEST_TICK_SECONDS,
            first=0,
            name="digest-tick",
            job_kwargs={"misfire_grace_time": 30, "coalesce": True, "max_instances": 1},
        )
        # The first poll once the queue starts (an interval job made before the scheduler runs
        # would wait a whole interval), then one check a minute for due feeds.
        application.job_queue.run_once(
            _poll_feeds, when=0, name="feeds-poll-first", job_kwargs={"misfire_grace_time": 60}
        )
        application.job_queue.run_repeating(
            _poll_feeds,
            interval=CHECK_SECONDS,
            first=CHECK_SECONDS,
            name="feeds-poll",
            job_kwargs={"misfire_grace_time": 30, "coalesce": True, "max_instances": 1},
        )
        log.info("bot @%s ready", application.bot.username)

    async def post_stop(application: App) -> None:
        services: Services | None = application.bot_data.get(SERVICES_KEY)
        if services is not None:
            await services.digests.stop()
            await services.alerts.wait_idle()
        feeds: FeedsService | None = application.bot_data.get(FEEDS_KEY)
        if feeds is not None:
            await feeds.stop()

    async def post_shutdown(application: App) -> None:
        for task in starting:
            # A stop signal during start-up leaves post_init where it was: end it properly.
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        starting.clear()
        services: Services | None = application.bot_data.get(SERVICES_KEY)
        if services is not None:
            await services.digests.wait_idle()
            await services.alerts.wait_idle()
        await opened.aclose()

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .defaults(bot_defaults())
        # Updates are handled concurrently: one slow search must not hold up everyone else.
        .concurrent_updates(True)
        .rate_limiter(
            PacedRateLimiter(
                bulk_per_second=settings.DIGEST_RATE,
                metrics=metrics,
                paid_broadcast=settings.DIGEST_PAID_BROADCAST,
            )
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data[METRICS_KEY] = metrics
    register_handlers(application)
    return application


def run_polling(application: App) -> bool:
    """PTB's `run_polling`, then the end `asyncio.run` gives a loop (what is still running is
    cancelled and awaited, so nothing is cut off mid-way when the loop closes); whether the bot
    got through its start-up (False: a stop signal came first)."""
    try:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, close_loop=False)
    finally:
        _close_loop(asyncio.get_event_loop())
    return bool(application.bot_data.get(READY_KEY))


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    try:
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()


async def start(application: App) -> None:
    """Initialise and start the Application, post_init included, without PTB's updater.

    `run_polling` and `run_webhook` do this around their own updater (and only they call the
    post_* hooks); our webhook server and the tests feed updates themselves.
    """
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()


async def stop(application: App) -> None:
    """The other half of `start`: stop, post_stop, shutdown, post_shutdown."""
    await application.stop()
    if application.post_stop:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)
