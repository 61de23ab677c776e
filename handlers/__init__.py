"""Thin Telegram callbacks: parse the update, ask bot/ or storage/, render, reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.application import App
from bot.commands import COMMANDS_KEY, N_, Command
from bot.rendering.texts import EXAMPLE_ID
from handlers import (
    admin,
    alerts,
    articles,
    buttons,
    channels,
    errors,
    fallback,
    feeds,
    flood,
    groups,
    inline,
    language,
    latest,
    search,
    start,
    subscriptions,
)
from handlers.timing import timed

# Every command, in the order of the menus and /help. Adding one here is all it takes: its
# handler, its menu line in every language, its /help line (README: the command tables).
COMMANDS: tuple[Command, ...] = (
    Command(
        "latest",
        latest.latest_command,
        N_("Newest articles: /latest 10 world"),
        N_("newest articles, 5 a page"),
        ("/latest", "/latest 10", "/latest world"),
    ),
    Command(
        "search",
        search.search_command,
        N_("Find articles, typos welcome: /search putin syria"),
        N_("find articles, typos welcome (or just send some words)"),
        ("/search putin syria",),
    ),
    Command(
        "summary",
        articles.summary_command,
        N_("Summary of an article: /summary 8hgsdc"),
        N_("title, date, source and three key sentences"),
        (f"/summary {EXAMPLE_ID}", "/summary syria envoy"),
    ),
    Command(
        "article",
        articles.article_command,
        N_("Full text of an article: /article 8hgsdc"),
        N_("the full text"),
        (f"/article {EXAMPLE_ID}",),
    ),
    Command(
        "subscribe",
        subscriptions.subscribe_command,
        N_("Daily digest at your time: /subscribe 7:30 Europe/Berlin"),
        N_("a daily digest at your time"),
        ("/subscribe 7:30 Europe/Berlin",),
    ),
    Command(
        "settings",
        subscriptions.settings_command,
        N_("Your digest time, zone, topics, words and size"),
        N_("your digest time, timezone, topics and word filters"),
    ),
    Command(
        "channel",
        channels.channel_command,
        N_("A daily digest for a channel you run"),
        N_("a daily digest for a channel you run"),
        ("/channel", "/channel @mychannel"),
    ),
    Command(
        "digest",
        subscriptions.digest_command,
        N_("Preview your digest now"),
        N_("preview your digest now"),
    ),
    Command(
        "unsubscribe",
        subscriptions.unsubscribe_command,
        N_("Stop the daily digest"),
        N_("stop the daily digest"),
    ),
    Command(
        "follow",
        alerts.follow_command,
        N_("Stories on a word or topic as they arrive: /follow election"),
        N_("stories on a word or topic as they arrive"),
        ("/follow election", "/follow topic:politics"),
    ),
    Command(
        "unfollow",
        alerts.unfollow_command,
        N_("Stop following a word or topic"),
        N_("stop following a word or topic"),
    ),
    Command(
        "alerts",
        alerts.alerts_command,
        N_("What you follow, hourly limit, quiet hours"),
        N_("what you follow, your hourly limit and quiet hours"),
    ),
    Command(
        "cancel",
        subscriptions.cancel_command,
        N_("Leave the question the bot asked (a time, a timezone, topics)"),
        N_("leave the question I asked (a time, a timezone, topics)"),
    ),
    Command(
        "language",
        language.language_command,
        N_("The language I write to you in"),
        N_("the language I write to you in"),
    ),
    Command("help", start.help_command, N_("Every command with an example"), N_("this list")),
    Command("start", start.start, N_("What this bot can do")),
    Command(
        "reload",
        admin.reload_command,
        N_("Admin: sync the seed folder"),
        N_("load the seed folder again, with a report"),
        admin=True,
    ),
    Command(
        "stats",
        admin.stats_command,
        N_("Admin: articles, subscribers, digests, answer times"),
        N_("articles, subscribers, digests, the schedule, answer times"),
        admin=True,
    ),
    Command(
        "senddigests",
        admin.send_digests_command,
        N_("Admin: send today's digests now"),
        N_("today's digest now to everyone who has not had it"),
        admin=True,
    ),
    Command(
        "broadcast",
        admin.broadcast_command,
        N_("Admin: announce to every subscriber"),
        N_("an announcement to every subscriber, after a confirm"),
        ("/broadcast We are back after maintenance.",),
        admin=True,
    ),
    Command(
        "feeds",
        feeds.feeds_command,
        N_("Admin: RSS and Atom feeds: list, add, pause, remove"),
        N_("the RSS and Atom feeds: list, add, pause, remove"),
        ("/feeds add https://example.com/rss.xml",),
        admin=True,
    ),
)


# A lone "/" (spaces around it are trimmed by Telegram): no command to Telegram (it marks
# none), but a command typed no further to whoever sent it; answered as an unknown command,
# not searched for nor taken as the answer to a question.
COMMANDISH = filters.COMMAND | filters.Regex(r"\A\s*/\s*\Z")

_CHAT_TYPES = {
    "private": filters.ChatType.PRIVATE,
    "group": filters.ChatType.GROUP,
    "supergroup": filters.ChatType.SUPERGROUP,
}


def _in_chats(command: Command) -> filters.BaseFilter:
    found: filters.BaseFilter = _CHAT_TYPES[command.chats[0]]
    for name in command.chats[1:]:
        found = found | _CHAT_TYPES[name]
    return found


def register(application: App) -> None:
    """Attach every handler, most specific first; each one's answer time is recorded."""
    add = application.add_handler
    # Group -2 runs first for every update: a flooding user goes no further.
    application.add_handler(TypeHandler(Update, flood.guard), group=-2)
    # Then text that answers the chat's open question (a time, a timezone, topics): it stops there;
    # without one, the update goes on to the handlers below (a search, most often).
    application.add_handler(
        MessageHandler(
            filters.TEXT
            & ~COMMANDISH
            & ~filters.VIA_BOT
            & (filters.ChatType.PRIVATE | filters.REPLY),
            timed("question reply", subscriptions.question_answer, when_taken=True),
        ),
        group=-1,
    )
    for command in COMMANDS:
        callback = timed("/" + command.name, command.callback)
        where = filters.UpdateType.MESSAGES & _in_chats(command)  # PTB's default, narrowed
        add(CommandHandler(command.name, callback, filters=where))
    application.bot_data[COMMANDS_KEY] = COMMANDS  # for the menus and /help
    add(CallbackQueryHandler(timed("button", buttons.on_button)))  # every press, decoded once
    add(
        MessageHandler(filters.StatusUpdate.CHAT_SHARED, timed("chat shared", channels.chat_shared))
    )
    add(ChatMemberHandler(channels.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    add(MessageHandler(filters.StatusUpdate.MIGRATE, groups.migrated))
    add(InlineQueryHandler(timed("inline", inline.inline_query)))
    add(MessageHandler(COMMANDISH, fallback.unknown_command))
    add(
        MessageHandler(
            filters.TEXT & ~COMMANDISH & ~filters.VIA_BOT & filters.ChatType.PRIVATE,
            timed("text search", search.plain_text),
        )
    )
    application.add_error_handler(errors.on_error)
