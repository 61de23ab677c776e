"""Opening the article store and syncing the seed folder into it, as the bot and the CLI both do."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from bot.settings import Settings
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import LoadReport, Progress, load_seeds

log = logging.getLogger(__name__)


async def open_database(settings: Settings) -> Database:
    """The database with its schema brought up to date."""
    db = Database(settings.DATABASE_URL)
    await upgrade_schema(db)
    return db


async def sync_seeds(
    db: Database, folder: Path, now: datetime, progress: Progress | None = None
) -> LoadReport:
    report = await load_seeds(db, folder, now=now, progress=progress)
    counts = ", ".join(f"{name} {number}" for name, number in report.counts().items())
    log.info("seeds from %s: %s (%.2f s)", report.folder, counts, report.seconds)
    for path, reason in report.rejected:
        log.warning("seed rejected: %s: %s", path, reason)
    return report
