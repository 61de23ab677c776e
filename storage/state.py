"""Named values shared by every instance through the `app_state` table."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AppState
from storage.upsert import upsert_rows

CORPUS = "corpus"
LAST_RELOAD = "last_reload"  # the last seeds load: when, by whom or what, its counts


async def get_state(session: AsyncSession, key: str) -> dict[str, Any] | None:
    return await session.scalar(select(AppState.value).where(AppState.key == key))


async def set_state(session: AsyncSession, key: str, value: dict[str, Any], now: datetime) -> None:
    await upsert_rows(session, AppState, [{"key": key, "value": value, "updated_at": now}], ["key"])


async def forget_older(session: AsyncSession, prefix: str, before: datetime) -> None:
    """Drop the values under `prefix` last written before `before`."""
    await session.execute(
        delete(AppState).where(AppState.key.startswith(prefix), AppState.updated_at < before)
    )


async def corpus_version(session: AsyncSession) -> str:
    """A token that changes whenever articles are added, changed or retracted."""
    state = await get_state(session, CORPUS)
    return str(state["version"]) if state else ""


async def bump_corpus_version(session: AsyncSession, now: datetime) -> None:
    # A fresh random token rather than a counter: no read-modify-write race between instances.
    await set_state(session, CORPUS, {"version": uuid.uuid4().hex}, now)


INSTANCE_PREFIX = "instance:"


def alive_window(tick_seconds: float) -> timedelta:
    """An instance unheard of for three ticks is taken for dead (its heartbeat is its tick)."""
    return timedelta(seconds=max(3 * tick_seconds, 10))


async def heartbeat(session: AsyncSession, instance: str, now: datetime) -> None:
    """This instance is alive (several instances share Telegram's sending budget)."""
    await set_state(session, INSTANCE_PREFIX + instance, {"seen": now.isoformat()}, now)


async def live_instances(session: AsyncSession, since: datetime) -> int:
    count = await session.scalar(
        select(func.count()).where(
            AppState.key.startswith(INSTANCE_PREFIX), AppState.updated_at >= since
        )
    )
    return int(count or 0)


async def forget_instance(session: AsyncSession, instance: str) -> None:
    await session.execute(delete(AppState).where(AppState.key == INSTANCE_PREFIX + instance))


async def last_heartbeat(session: AsyncSession, instance: str) -> datetime | None:
    return await session.scalar(
        select(AppState.updated_at).where(AppState.key == INSTANCE_PREFIX + instance)
    )


async def heartbeats(session: AsyncSession) -> list[datetime]:
    """When each instance the database knows was last heard from, newest first (an instance
    that stopped cleanly has signed off; one that died stays until it is forgotten)."""
    found = await session.scalars(
        select(AppState.updated_at)
        .where(AppState.key.startswith(INSTANCE_PREFIX))
        .order_by(AppState.updated_at.desc())
    )
    return list(found)
