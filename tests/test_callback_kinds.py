"""Button data of the kinds this change added: a language, a broadcast decision, a stored query's
token; each decodes to its own type, and nothing else decodes to them."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.callbacks import BroadcastDecision, LanguageChoice, SearchPage, query_token


@pytest.mark.parametrize(
    "callback",
    [LanguageChoice("ru"), LanguageChoice("en"), BroadcastDecision(True, "ab12"),
     BroadcastDecision(False, "ab12"), SearchPage(2, "", token=query_token("x" * 80))],
)  # fmt: skip
def test_new_kinds_round_trip(callback: callbacks.Callback) -> None:
    data = callbacks.encode(callback)
    assert len(data.encode()) <= 64
    assert callbacks.decode(data) == callback


@pytest.mark.parametrize("data", ["N|de", "N|", "N|RU", "A|bc_ok:XYZ", "A|bc_maybe:ab", "T|1|"])
def test_forged_ones_are_refused_or_read_as_before(data: str) -> None:
    decoded = callbacks.decode(data)
    assert not isinstance(decoded, LanguageChoice | BroadcastDecision)
    assert not (isinstance(decoded, SearchPage) and decoded.token)


def test_a_broadcast_button_keeps_its_wire_format() -> None:
    """Buttons sent before the change still work."""
    assert callbacks.encode(BroadcastDecision(True, "ab12")) == "A|bc_ok:ab12"
    assert callbacks.decode("A|bc_no:ab12") == BroadcastDecision(False, "ab12")


def test_a_query_too_long_for_a_button_travels_as_a_token() -> None:
    query = "markets report shares bonds traders watched the central bank analysts volatility"
    assert not callbacks.query_fits(query) and callbacks.query_fits("putin syria")
    data = callbacks.encode(SearchPage(1, "", token=query_token(query)))
    assert data.startswith("T|") and query_token(query) in data
