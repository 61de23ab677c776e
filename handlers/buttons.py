"""Every button press: its data decoded once, checked, and handed to the handler it is for.

Button data comes from the client and may be forged or stale: anything `decode` does not take,
or a press where the button cannot act (a settings button on a message posted inline has no
chat to act in), gets a short "no longer valid" alert and nothing else happens.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot.callbacks import (
    Action,
    AlertButton,
    BroadcastDecision,
    FeedButton,
    LanguageChoice,
    LatestPage,
    OpenFullText,
    OpenSummary,
    SearchPage,
    SettingsChange,
    ZoneChoice,
    decode,
    needs_chat,
)
from bot.rendering import texts
from bot.rendering.cards import page_counter_note
from handlers import admin, alerts, articles, feeds, language, latest, search, subscriptions
from handlers.common import Context, reader


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    callback = decode(query.data)
    if callback is None or (needs_chat(callback) and update.effective_chat is None):
        await query.answer(texts.expired_button(await reader(update, context)), show_alert=True)
        return
    # These answer the press themselves ("Saved", "for admins"): the rest are answered here.
    if isinstance(callback, SettingsChange):
        await subscriptions.settings_button(update, context, callback)
        return
    if isinstance(callback, ZoneChoice):
        await subscriptions.zone_button(update, context, callback)
        return
    if isinstance(callback, AlertButton):
        await alerts.alerts_button(update, context, callback)
        return
    if isinstance(callback, FeedButton):
        await feeds.feeds_button(update, context, callback)
        return
    if isinstance(callback, LanguageChoice):
        await language.language_button(update, context, callback)
        return
    if isinstance(callback, BroadcastDecision):
        await admin.broadcast_button(update, context, callback)
        return
    if callback == Action("noop"):  # the page counter: Telegram shows its answer as a toast
        note = page_counter_note(await reader(update, context), _pressed(query))
        await query.answer(note or None)
        return
    await query.answer()
    match callback:
        case LatestPage():
            await latest.latest_button(update, context, callback)
        case SearchPage():
            await search.search_button(update, context, callback)
        case OpenSummary(short_id):
            await articles.send_summary(update, context, short_id, linked=True)
        case OpenFullText(short_id):
            await articles.send_full_text(update, context, short_id, linked=True)
        case Action("latest"):
            await latest.show_latest(update, context, "")
        case Action("subscribe"):
            await subscriptions.subscribe_start(update, context)


def _pressed(query: CallbackQuery) -> str:
    """The label of the button pressed, as its message shows it ("" when not at hand)."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return ""
