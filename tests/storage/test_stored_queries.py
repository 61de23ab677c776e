"""Search queries too long for button data are stored under a token for the page buttons,
and forgotten after QUERY_KEPT."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import library
from storage.database import Database
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
LONG = "markets report shares bonds traders watched the central bank analysts volatility"


@BOTH_DATABASES
async def test_a_long_query_comes_back_from_its_token_until_it_is_old(db: Database) -> None:
    token = await library.remember_query(db, LONG, NOW)
    assert await library.remember_query(db, LONG, NOW) == token  # the same query, one row
    assert await library.stored_query(db, token) == LONG
    assert await library.stored_query(db, "0" * 12) is None
    other = await library.remember_query(db, LONG + " again", NOW + library.QUERY_KEPT * 2)
    assert await library.stored_query(db, other) == LONG + " again"
    assert await library.stored_query(db, token) is None  # an old page's buttons expired
