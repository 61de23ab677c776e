"""Bringing a test database to one Alembic revision, to fill it as an older release would (or
back down to one, to see a downgrade undo what a migration did)."""

from __future__ import annotations

from typing import Any

from alembic import command

from storage.database import Database
from storage.schema import _alembic_config


async def upgrade_to(db: Database, revision: str) -> None:
    def run(connection: Any) -> None:
        command.upgrade(_alembic_config(connection), revision)

    async with db.write_engine.begin() as connection:
        await connection.run_sync(run)


async def downgrade_to(db: Database, revision: str) -> None:
    def run(connection: Any) -> None:
        command.downgrade(_alembic_config(connection), revision)

    async with db.write_engine.begin() as connection:
        await connection.run_sync(run)
