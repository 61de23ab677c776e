"""The bot's configuration: one typed object read from the environment and an optional `.env`."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_DIR / 'data' / 'newsbot.sqlite3'}"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FREE_RATE = 29.0  # bulk messages a second: under Telegram's ~30 over all chats
FREE_LIMIT = 30.0
PAID_RATE = 1000.0  # with allow_paid_broadcast (Bot API 7.11)


class Settings(BaseSettings):
    """Everything the bot reads from its environment. Field names are the variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    # Each description is the variable's line in .env.example and in the README's table
    # (tests/test_settings_docs.py keeps the three the same).
    TELEGRAM_BOT_TOKEN: SecretStr | None = Field(
        default=None,
        description="The bot's token from @BotFather. Without it, `run_bot.py` opens the console "
        "chat (on a terminal). Never logged.",
    )
    TELEGRAM_API_BASE_URL: str = Field(
        default="https://api.telegram.org/bot",
        description="PTB's `base_url`: a self-hosted Bot API server or a local fake.",
    )
    DATABASE_URL: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="`sqlite+aiosqlite:///path` or `postgresql+asyncpg://user@host/db` "
        "(`sqlite:///`, `postgresql://` and `postgres://` mean the same). The SQLite file and its "
        "folder are created on first use; a folder that cannot be made stops start-up with one "
        "line.",
    )
    SEEDS_DIR: Path = Field(
        default=PROJECT_DIR / "seeds",
        description="The folder of seed files synced into the database at start-up.",
    )
    SEARCH_INDEX_DIR: Path | None = Field(
        default=None,
        description="This instance's search index (tantivy), rebuilt from the database when "
        "missing or damaged; each running instance claims a sub-folder of its own. Unset: beside "
        "a SQLite file, else under `/tmp/newsbot-search/`.",
    )
    ADMIN_IDS: Annotated[frozenset[int], NoDecode] = Field(
        default_factory=frozenset,
        description="Comma-separated Telegram user ids of the admins.",
    )
    DEFAULT_TIMEZONE: str = Field(
        default="UTC",
        description="The timezone of readers who have not chosen one, read as users' zones are: "
        "`Europe/Berlin`, `berlin`, `UTC+3`.",
    )
    LOG_LEVEL: str = Field(
        default="INFO", description="`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`."
    )
    LOG_FORMAT: Literal["text", "json"] = Field(
        default="text",
        description="`text` (one line a record) or `json` (one JSON object a line, with the "
        "update id, chat id and command where there is one).",
    )
    CONSOLE_LANGUAGE: str = Field(
        default="",
        description="The console chat's language (`en`, `ru`, `es`): sent as your Telegram "
        "`language_code`, and the console's own lines are in it. Empty: the terminal's "
        "(`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.",
    )
    DIGEST_TICK_SECONDS: float = Field(
        default=60, gt=0, le=3600, description="How often the digest schedule is checked."
    )
    DIGEST_RATE: float = Field(
        default=FREE_RATE,
        gt=0,
        le=PAID_RATE,
        description="Digest messages a second (Telegram allows about 30 over all chats; at most "
        "30 here, or 1000 with `DIGEST_PAID_BROADCAST`, which makes 1000 the default).",
    )
    DIGEST_PAID_BROADCAST: bool = Field(
        default=False,
        description="`true`: send digests and broadcasts with `allow_paid_broadcast`, up to 1000 "
        "a second, each message paid with 0.1 Telegram Stars from the bot's balance.",
    )
    FEEDS_POLL_MINUTES: float = Field(
        default=15,
        ge=1,
        le=1440,
        description="How often each RSS or Atom feed is fetched (a failing feed waits longer, "
        "doubling up to a day).",
    )
    CLOCK_FILE: Path | None = Field(
        default=None,
        description='For tests and demos: read "now" from this file (ISO 8601) instead of the '
        "system clock.",
    )
    WEBHOOK_URL: str | None = Field(
        default=None,
        description="With `--webhook`: the public https URL Telegram posts updates to (its path "
        "is served).",
    )
    WEBHOOK_SECRET: SecretStr | None = Field(
        default=None,
        description="With `--webhook`: 1-256 of `A-Z a-z 0-9 _ -`; Telegram sends it back on "
        "every post, anything without it gets 403. Never logged.",
    )
    WEBHOOK_LISTEN: str = Field(
        default="127.0.0.1",
        description="Address of the webhook server (behind a reverse proxy).",
    )
    WEBHOOK_PORT: int = Field(
        default=8080, ge=1, le=65535, description="Port of the webhook server."
    )
    WEBHOOK_HEADER_TIMEOUT: float = Field(
        default=10,
        gt=0,
        le=300,
        description="Seconds a client may take to send a request's headers (from its first "
        "byte); then the connection is closed.",
    )
    WEBHOOK_BODY_TIMEOUT: float = Field(
        default=10,
        gt=0,
        le=300,
        description="Seconds a client may take to send a request's body (else 408).",
    )
    WEBHOOK_IDLE_TIMEOUT: float = Field(
        default=30,
        gt=0,
        le=3600,
        description="Seconds a connection may stay open with no request in progress.",
    )
    WEBHOOK_MAX_CONNECTIONS: int = Field(
        default=200,
        ge=1,
        le=100_000,
        description="Connections the webhook server keeps open at once; one more gets 503 "
        "(keep it well under `ulimit -n`).",
    )
    METRICS_PORT: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="In polling mode: serve `GET /metrics` (Prometheus) and `GET /healthz` on "
        "this port of `METRICS_LISTEN` (webhook mode serves both on its own port).",
    )
    METRICS_LISTEN: str = Field(
        default="127.0.0.1",
        description="Address of the `METRICS_PORT` server: this machine only unless set "
        "(`0.0.0.0` for a Prometheus elsewhere; /metrics and /healthz need no secret).",
    )

    @field_validator("TELEGRAM_BOT_TOKEN", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("METRICS_PORT", "CLOCK_FILE", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("LOG_FORMAT", mode="before")
    @classmethod
    def _lower_log_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

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

    @model_validator(mode="after")
    def _check_digest_rate(self) -> Settings:
        if not self.DIGEST_PAID_BROADCAST and self.DIGEST_RATE > FREE_LIMIT:
            raise ValueError(
                f"DIGEST_RATE: {self.DIGEST_RATE:g} a second needs DIGEST_PAID_BROADCAST=true "
                f"(Telegram allows about {FREE_LIMIT:g} a second without paying)"
            )
        if self.DIGEST_PAID_BROADCAST and "DIGEST_RATE" not in self.model_fields_set:
            self.DIGEST_RATE = PAID_RATE
        return self

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


def shown_default(name: str) -> str | None:
    """A setting's default as the docs show it (None: no default), the checkout's path as
    `<project>`."""
    field = Settings.model_fields[name]
    value = field.get_default(call_default_factory=True)
    if value is None or value == frozenset():
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(str(PROJECT_DIR), "<project>")


def env_example() -> str:
    """The text of .env.example: every setting, commented out, with its default and meaning."""
    lines = [
        "# The news bot's settings: copy to .env (or set them in the environment), uncomment and",
        "# change what you need. Generated from bot/settings.py by `python -m bot.settings`.",
    ]
    for name, field in Settings.model_fields.items():
        lines += ["", f"# {field.description}", f"# {name}={shown_default(name) or ''}"]
    return "\n".join(lines) + "\n"


def readme_table() -> str:
    """The README's configuration table."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = shown_default(name)
        rows.append(
            f"| `{name}` | {f'`{default}`' if default else '(none)'} | {field.description} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(env_example(), end="")
