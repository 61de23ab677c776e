"""The bot's configuration: one typed object read from the environment and an optional `.env`."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_DIR / 'data' / 'newsbot.sqlite3'}"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Everything the bot reads from its environment. Field names are the variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    TELEGRAM_BOT_TOKEN: SecretStr | None = None
    TELEGRAM_API_BASE_URL: str = "https://api.telegram.org/bot"
    DATABASE_URL: str = DEFAULT_DATABASE_URL
    SEEDS_DIR: Path = PROJECT_DIR / "seeds"
    ADMIN_IDS: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    DEFAULT_TIMEZONE: str = "UTC"
    LOG_LEVEL: str = "INFO"
    DIGEST_TICK_SECONDS: float = Field(default=60, gt=0, le=3600)
    DIGEST_RATE: float = Field(default=29, gt=0, le=30)  # bulk messages a second, under 30
    # For tests and demos: read "now" from this file (an ISO 8601 time) instead of the clock.
    CLOCK_FILE: Path | None = None
    WEBHOOK_URL: str | None = None  # the public https URL Telegram posts updates to
    WEBHOOK_SECRET: SecretStr | None = None  # Telegram sends it back in a header on every post
    WEBHOOK_LISTEN: str = "127.0.0.1"  # behind a reverse proxy; 0.0.0.0 to listen everywhere
    WEBHOOK_PORT: int = Field(default=8080, ge=1, le=65535)

    @field_validator("TELEGRAM_BOT_TOKEN", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("TELEGRAM_API_BASE_URL")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("WEBHOOK_URL")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("WEBHOOK_SECRET")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # Telegram's rule for secret_token: 1-256 characters, A-Z a-z 0-9 _ -
        secret = value.get_secret_value()
        if len(secret) > 256 or not all(
            ch.isascii() and (ch.isalnum() or ch in "_-") for ch in secret
        ):
            raise ValueError("use 1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        from storage.database import async_url

        value = async_url(value.strip())
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError(
                "expected sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db, "
                f"got {scheme or value!r}"
            )
        return value

    @field_validator("ADMIN_IDS", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        ids = set()
        for item in value.replace(" ", "").split(","):
            if not item:
                continue
            if not (item.lstrip("-").isascii() and item.lstrip("-").isdigit()):
                raise ValueError(f"not a numeric Telegram user id: {item!r}")
            ids.add(int(item))
        return frozenset(ids)

    @field_validator("DEFAULT_TIMEZONE")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        # Read the way users' zones are (`berlin`, `UTC+3`, `india`), stored as the zone found.
        from bot.timezones import is_zone, match_timezone

        if is_zone(value):
            return value
        found = match_timezone(value)
        if found.zone is not None:
            return found.zone
        could = f": could be {', '.join(found.candidates)}" if found.candidates else ""
        raise ValueError(
            f"unknown timezone {value!r}{could} (use a city or an IANA name like Europe/Berlin)"
        )

    @field_validator("LOG_LEVEL")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        if value.upper() not in _LOG_LEVELS:
            raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}, got {value!r}")
        return value.upper()

    @property
    def token(self) -> str | None:
        return self.TELEGRAM_BOT_TOKEN.get_secret_value() if self.TELEGRAM_BOT_TOKEN else None

    @property
    def timezone(self) -> tzinfo:
        from bot.timezones import zone_info

        return zone_info(self.DEFAULT_TIMEZONE)


class SettingsError(Exception):
    """A bad configuration value, as one line that names the variable and what is wrong."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise SettingsError("; ".join(problems)) from None
