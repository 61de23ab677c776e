"""FakeTelegramThread: the server on its own thread, driven from synchronous code."""

from __future__ import annotations

import httpx
import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from fakeapi import FakeTelegram, FakeTelegramThread, SentMessage

from .conftest import USER


def test_sync_control_api_with_a_raw_http_bot():
    with FakeTelegramThread(bot_username="console_bot") as tg:
        assert tg.base_url.startswith("http://127.0.0.1:")
        assert tg.base_url.endswith("/bot")
        seen: list[tuple[str, str]] = []

        def listener(message: SentMessage, event: str) -> None:
            seen.append((message.text, event))

        unsubscribe = tg.on_bot_message(listener)
        with httpx.Client(base_url=f"{tg.base_url}{tg.token}/") as api:
            assert api.get("getMe").json()["result"]["username"] == "console_bot"
            tg.send_message(USER, "/start")
            [update] = api.post("getUpdates", data={"timeout": "1"}).json()["result"]
            assert update["message"]["text"] == "/start"

            mark = tg.mark()
            sent = api.post("sendMessage", data={"chat_id": USER, "text": "hi"}).json()["result"]
            [reply] = tg.wait_for_messages(USER, 1, after=mark, timeout=2)
            assert reply.text == "hi"
            assert reply.message_id == sent["message_id"]

            api.post(
                "editMessageText",
                data={"chat_id": USER, "message_id": sent["message_id"], "text": "hi!"},
            )
            assert tg.wait_for_edit(USER, sent["message_id"], after=mark, timeout=2).text == "hi!"
            assert seen == [("hi", "sent"), ("hi!", "edited")]
            unsubscribe()

            bad = api.post(
                "sendMessage", data={"chat_id": USER, "text": "<b>", "parse_mode": "HTML"}
            )
            assert bad.status_code == 400
            assert [e.status for e in tg.errors()] == [400]
            assert len(tg.calls("sendMessage")) == 2

            tg.reset()
            assert tg.messages() == []
            assert tg.calls() == []
            assert tg.errors() == []
            # ids keep growing after reset, so a polling bot's offset stays valid
            tg.send_message(USER, "after reset")
            offset = update["update_id"] + 1
            [later] = api.post("getUpdates", data={"offset": offset}).json()["result"]
            assert later["update_id"] > update["update_id"]
            with pytest.raises(TimeoutError, match="expected 1 bot message"):
                tg.wait_for_messages(USER, 1, after=tg.mark(), timeout=0.2)


async def test_async_variants_with_a_bot_in_this_loop():
    with FakeTelegramThread() as tg:
        app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()

        async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.message is not None
            await update.message.reply_text(" ".join(context.args or []) or "nothing")

        app.add_handler(CommandHandler("echo", echo))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling()
            await tg.wait_until_polling_async()
            # a blocking wait here would stall this loop, which runs the bot
            with pytest.raises(RuntimeError, match="running event loop"):
                tg.wait_for_messages(USER, 1, timeout=0.1)
            [reply] = await tg.ask_async(USER, "/echo hi there", timeout=5)
            assert reply.text == "hi there"
            await app.updater.stop()
            await app.stop()


def test_the_thread_offers_every_control_method_of_the_core():
    # One implementation (FakeTelegram); a method added there and not here fails this.
    public = {name for name in vars(FakeTelegram) if not name.startswith("_")}
    lifecycle = {"start", "stop"}  # the thread's own
    missing = sorted(name for name in public - lifecycle if not hasattr(FakeTelegramThread, name))
    assert missing == []
    with FakeTelegramThread() as tg:
        assert tg.wait_for_messages.__doc__ == FakeTelegram.wait_for_messages.__doc__
        tg.send_message(USER, "hello")
        [update] = tg.pending_updates()
        assert update["message"]["text"] == "hello"
