"""Opening the article store and syncing the seed folder into it, as the bot and the CLI both do."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.rendering.seed_reasons import english
from bot.settings import Settings
from storage.database import Database
from storage.schema import upgrade_schema
from storage.seeds.loader import LoadReport, Progress, load_seeds
from storage.state import LAST_RELOAD, set_state

log = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database could not be opened at start-up; the message is one line for the operator."""


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file `url` names, when it does not exist yet (opening it would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


async def open_database(settings: Settings) -> Database:
    """The database with its schema brought up to date."""
    db: Database | None = None
    try:
        db = Database(settings.DATABASE_URL)  # makes the SQLite file's folder: may fail too
        await upgrade_schema(db)
    except (OSError, SQLAlchemyError) as exc:
        if db is not None:
            await db.dispose()
        reason = getattr(exc, "orig", None) or exc  # the driver's words, not SQLAlchemy's wrapper
        where = make_url(settings.DATABASE_URL).render_as_string(hide_password=True)
        first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else repr(reason)
        raise DatabaseUnavailable(f"cannot open the database at {where}: {first_line}") from exc
    return db


async def sync_seeds(
    db: Database, folder: Path, now: datetime, progress: Progress | None = None, *, by: str
) -> LoadReport:
    """Load the seed folder and record it for /stats: `by` says who or what asked."""
    report = await load_seeds(db, folder, now=now, progress=progress)
    counts = ", ".join(f"{name} {number}" for name, number in report.counts().items())
    log.info("seeds from %s: %s (%.2f s)", report.folder, counts, report.seconds)
    for path, reason in report.rejected:
        log.warning("seed rejected: %s: %s", path, english(reason))
    record = {"at": now.isoformat(), "by": by, "counts": report.counts(),
              "seconds": round(report.seconds, 2)}  # fmt: skip
    async with db.write() as session:
        await set_state(session, LAST_RELOAD, record, now)
    return report
