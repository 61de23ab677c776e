"""The services handlers use, created once in `post_init` and kept in `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.admin.broadcast import Broadcaster
from bot.admin.latency import LatencyRecorder
from bot.admin.notices import ErrorThrottle
from bot.admin.reload import Reloader
from bot.alerts.following import Following
from bot.alerts.runner import AlertRunner
from bot.chat_admins import ChatAdmins
from bot.clock import Clock
from bot.digests.runner import DigestRunner
from bot.flood import FloodGuard
from bot.languages import LanguageService
from bot.library import ArticleService
from bot.search.service import SearchService
from bot.settings import Settings
from bot.subscriptions import SubscriptionService
from bot.summaries.service import SummaryService
from storage.database import Database

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    search: SearchService
    articles: ArticleService
    summaries: SummaryService
    subscriptions: SubscriptionService
    digests: DigestRunner
    following: Following
    alerts: AlertRunner
    reloader: Reloader
    broadcaster: Broadcaster
    latency: LatencyRecorder
    error_throttle: ErrorThrottle
    flood: FloodGuard
    chat_admins: ChatAdmins  # who may change a group's or a channel's digest
    languages: LanguageService
    started_at: datetime
    bot_username: str = ""
