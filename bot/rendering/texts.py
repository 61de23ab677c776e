"""The bot's fixed texts: welcome, help, and short answers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.callbacks import Action
from bot.rendering.cards import Reply
from bot.rendering.markup import clean, echo

# What an id looks like, in the ids' own alphabet (no 0, 1, i, l, o): one that could be real.
EXAMPLE_ID = "8hgsdc"


def plain(text: str) -> Reply:
    """A message of plain words (they may quote what the user typed): escaped for HTML."""
    return Reply(clean(text))


def welcome(first_name: str | None, bot_username: str) -> Reply:
    hello = f"👋 Hi {clean(first_name)}!" if first_name else "👋 Hi!"
    text = (
        f"{hello} I bring you the news from my article library.\n\n"
        "📰 /latest — the newest stories\n"
        "🔎 /search <i>words</i> — find stories; typos are fine. Or just type some words.\n"
        "📝 /summary <i>id or words</i> — a three-sentence summary\n"
        "📄 /article <i>id</i> — the full text\n"
        "🔔 /subscribe — a daily digest at the time you choose\n"
        f"💬 In any chat, type <code>@{clean(bot_username)} words</code> to share a story.\n\n"
        "/help shows every command with an example."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "📰 Latest news", callback_data=callbacks.encode(Action("latest"))
                ),
                InlineKeyboardButton(
                    "🔔 Daily digest", callback_data=callbacks.encode(Action("subscribe"))
                ),
            ]
        ]
    )
    return Reply(text, keyboard)


ADMIN_HELP = (
    "\n\n<b>For admins</b>\n"
    "/stats — articles, subscribers, digests, the schedule, answer times\n"
    "/reload — load the seed folder again, with a report\n"
    "/senddigests — today's digest now to everyone who has not had it\n"
    "/broadcast — an announcement to every subscriber, after a confirm\n"
    "   <code>/broadcast We are back after maintenance.</code>\n"
    "/feeds — the RSS and Atom feeds: list, add, pause, remove\n"
    "   <code>/feeds add https://example.com/rss.xml</code>"
)


def help_text(bot_username: str, *, admin: bool = False) -> Reply:
    return Reply(
        "<b>What I can do</b>\n\n"
        "/latest — newest articles, 5 a page\n"
        "   <code>/latest</code>, <code>/latest 10</code>, <code>/latest world</code>\n"
        "/search — find articles, typos welcome\n"
        "   <code>/search putin syria</code> (or just send <code>putin syria</code>)\n"
        "/summary — title, date, source and three key sentences\n"
        f"   <code>/summary {EXAMPLE_ID}</code> or <code>/summary syria envoy</code>\n"
        "/article — the full text\n"
        f"   <code>/article {EXAMPLE_ID}</code>\n"
        "/subscribe — a daily digest at your time\n"
        "   <code>/subscribe 7:30 Europe/Berlin</code>\n"
        "/unsubscribe — stop the daily digest\n"
        "/settings — your digest time, timezone, topics and words\n"
        "/digest — preview your digest now\n"
        "/channel — a daily digest for a channel you run\n"
        "/follow — stories on a word or topic as they arrive\n"
        "   <code>/follow election</code>, <code>/follow topic:politics</code>\n"
        "/alerts — what you follow, your hourly limit and quiet hours\n"
        "/help — this list\n\n"
        f"Inline: type <code>@{clean(bot_username)} putin</code> in any chat."
        + (ADMIN_HELP if admin else "")
    )


def unknown_command(command: str) -> Reply:
    return Reply(f"I don't know {clean(echo(command, 64))}. /help lists what I can do.")


MAX_TOPICS_LISTED = 30
MAX_TOPIC_SHOWN = 60


def no_topic(typed: str, known: list[str]) -> Reply:
    """`/latest <topic>` for a topic no article has: the ones there are, and a search."""
    listed = ", ".join(clean(echo(name, MAX_TOPIC_SHOWN)) for name in known[:MAX_TOPICS_LISTED])
    if len(known) > MAX_TOPICS_LISTED:
        listed += f" and {len(known) - MAX_TOPICS_LISTED} more"
    quoted = clean(echo(typed))
    return Reply(
        f"I have no topic “{quoted}”. Topics: {listed or 'none yet'}.\n"
        f"To search all articles instead: <code>/search {quoted}</code>"
    )


def unknown_article(text: str) -> Reply:
    return Reply(
        f"No article with the id “{clean(echo(text, 64))}”. It may have been withdrawn. "
        f"Ids look like <code>{EXAMPLE_ID}</code>; /latest shows the newest ones."
    )


def withdrawn_article() -> Reply:
    """A button or link to an article that is no longer there (no id was typed)."""
    return Reply("This article has been withdrawn. /latest shows the newest ones.")


def expired_button() -> str:
    return "This button is no longer valid. Try /latest or /search."


def empty_search() -> Reply:
    return Reply(
        "What should I look for? Send some words, e.g. <code>/search putin syria</code>, "
        "or just type them."
    )
