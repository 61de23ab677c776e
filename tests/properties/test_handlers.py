"""Arbitrary text, commands, arguments, button data and inline queries through the handlers.

Nothing may raise out of a handler, and everything the bot sends must pass Telegram's checks
(HTML, 4,096 characters, 64-byte button data): the fake Bot API answers 400 otherwise, which
would surface here as a handler error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import callbacks
from fakeapi.threaded import FakeTelegramThread
from tests.e2e.harness import e2e_corpus
from tests.properties.live_bot import USER, LiveBot

COMMANDS = [
    "", "/start ", "/start a_", "/help", "/latest ", "/search ", "/summary ", "/article ",
    "/subscribe ", "/unsubscribe", "/settings", "/digest", "/reload", "/stats", "/broadcast ",
    "/senddigests", "/nonsense ", "/follow ", "/unfollow ", "/alerts ", "/alerts quiet ",
    "/alerts limit ", "/lates ", "/language ",
]  # fmt: skip
PREFIXES = [
    "", "L|", "S|", "T|", "M|", "F|", "A|", "G|", "A|bc_ok:", "A|bc_no:", "G|time|", "G|size|",
    "W|", "W|cap|", "W|unfollow|", "W|quiet_off|",
]  # fmt: skip
# Text as users send it: any Unicode (no surrogates, which Telegram cannot carry), some HTML.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300) | st.sampled_from(
    ["<b>", "</i>", "&amp;", "<script>alert(1)</script>", '"NEAR(', "*", "\x00", "🙂" * 50]
)
PROPERTY = settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    workdir = tmp_path_factory.mktemp("props")
    e2e_corpus(workdir / "seeds")
    with FakeTelegramThread() as tg:
        bot = LiveBot(tg, workdir, workdir / "seeds")
        yield bot
        bot.close()


# Telegram's answer to an edit that changes nothing (the same button pressed twice on a page
# already shown): the handler expects it and moves on. Not a message Telegram rejected.
NOT_MODIFIED = "message is not modified"


def assert_clean(live: LiveBot) -> None:
    assert not live.errors, [repr(e) for e in live.errors[:3]]
    rejected = [
        call
        for call in live.tg.errors(include_injected=False)
        if NOT_MODIFIED not in (call.description or "")
    ]
    assert not rejected


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@PROPERTY
@given(command=st.sampled_from(COMMANDS), argument=TEXT)
def test_any_message_gets_a_valid_answer(live: LiveBot, command: str, argument: str) -> None:
    text = (command + argument)[:4096].strip() or "?"
    live.process(live.message(text))
    assert_clean(live)


@settings(max_examples=1000, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), rest=TEXT)
def test_any_button_data_gets_a_valid_answer(live: LiveBot, prefix: str, rest: str) -> None:
    data = (prefix + rest).encode()[:64].decode("utf-8", errors="ignore") or "x"
    live.process(live.press(data))
    assert_clean(live)


NO_LONGER_VALID = "This button is no longer valid"
# Button data as a client may send it: any string, any bytes read as UTF-8, our own prefixes
# with anything after them, and numbers of any size where ours has numbers.
BUTTON_DATA = (
    st.text(max_size=70)
    | st.binary(max_size=70).map(lambda b: b.decode("utf-8", errors="replace"))
    | st.tuples(st.sampled_from(PREFIXES), TEXT).map("".join)
    | st.tuples(
        st.sampled_from(["L|", "S|", "G|time|", "G|size|", "G|ask_zone|", "L|0|"]),
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(["", "|", "|0|", "|x"]),
    ).map("".join)
)


@pytest.fixture(scope="module")
def inline_message_id(live: LiveBot) -> str:
    """A summary posted with inline mode into a group: its buttons have no chat to act in."""
    group = live.tg.add_group(title="Props")["id"]
    query = live.inline("markets", "")
    live.process(query)
    [first, *_] = live.tg.inline_answer(query["inline_query"]["id"]).results
    live.tg.choose_inline_result(USER, query["inline_query"]["id"], first["id"], chat_id=group)
    posted: str = next(iter(live.tg.core.backend.state.inline_messages))
    return posted


def press_inline(live: LiveBot, inline_message_id: str, data: str) -> dict[str, Any]:
    query = live.press(data)  # registers the press with the fake
    payload = query["callback_query"]
    del payload["message"]
    return {"callback_query": {**payload, "inline_message_id": inline_message_id}}


@settings(max_examples=600, deadline=None)
@given(data=BUTTON_DATA, inline=st.booleans())
def test_forged_button_data_gets_a_quiet_alert(
    live: LiveBot, inline_message_id: str, data: str, inline: bool
) -> None:
    data = data.encode()[:64].decode("utf-8", errors="ignore") or "x"
    update = press_inline(live, inline_message_id, data) if inline else live.press(data)
    live.process(update)
    assert_clean(live)
    answer = live.tg.callback_answer(update["callback_query"]["id"], timeout=5)
    decoded = callbacks.decode(data)
    if decoded is None or (inline and callbacks.needs_chat(decoded)):
        assert answer.text and answer.text.startswith(NO_LONGER_VALID) and answer.show_alert


@pytest.mark.parametrize(
    ("data", "inline"),
    [("L|99999999999999999999|0|", False), ("G|ask_zone|0", True), ("A|bc_ok:zz", False)],
)
def test_the_forgeries_of_the_review_get_the_alert(
    live: LiveBot, inline_message_id: str, data: str, inline: bool
) -> None:
    update = press_inline(live, inline_message_id, data) if inline else live.press(data)
    live.process(update)
    assert_clean(live)
    answer = live.tg.callback_answer(update["callback_query"]["id"], timeout=5)
    assert answer.text and answer.text.startswith(NO_LONGER_VALID) and answer.show_alert


@pytest.mark.slow  # over 7 s: CI runs it, `pytest -m "not slow"` leaves it out
@settings(max_examples=1000, deadline=None)
@given(query=TEXT, offset=st.one_of(st.just(""), st.integers(-5, 10_000).map(str), TEXT))
def test_any_inline_query_gets_a_valid_answer(live: LiveBot, query: str, offset: str) -> None:
    live.process(live.inline(query[:256], offset[:64]))
    assert_clean(live)


def test_the_same_button_twice_is_a_quiet_no_op(live: LiveBot) -> None:
    # The second press asks for the page already shown: Telegram answers "not modified".
    before = len(live.tg.errors(include_injected=False))
    for _ in range(2):
        live.process(live.press("S|0|"))
    assert_clean(live)
    new = live.tg.errors(include_injected=False)[before:]
    assert new and all(NOT_MODIFIED in (call.description or "") for call in new)
