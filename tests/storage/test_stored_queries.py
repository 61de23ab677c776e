"""Search queries too long for button data are stored under a token for the page buttons,
and forgotten after QUERY_KEPT."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import library
from bot.library import ArticleService
from bot.search.service import SearchService
from storage.database import Database
from tests.conftest import BOTH_DATABASES

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
LONG = "markets report shares bonds traders watched the central bank analysts volatility"


@BOTH_DATABASES
async def test_a_long_query_comes_back_from_its_token_until_it_is_old(db: Database) -> None:
    service = ArticleService(db, SearchService(db, engine=False))
    token = await service.remember_query(LONG, NOW)
    assert await service.remember_query(LONG, NOW) == token  # the same query, one row
    assert await service.stored_query(token) == LONG
    assert await service.stored_query("0" * 12) is None
    other = await service.remember_query(LONG + " again", NOW + library.QUERY_KEPT * 2)
    assert await service.stored_query(other) == LONG + " again"
    assert await service.stored_query(token) is None  # an old page's buttons expired
