"""What goes in one subscriber's digest: pure selection over articles already fetched."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.models import Article


@dataclass(frozen=True, slots=True)
class Selection:
    articles: list[Article]
    more: int  # how many others were new too ("and N more")


def select_articles(
    pool: Sequence[Article],
    *,
    since: datetime,
    until: datetime,
    size: int,
    topic_hits: Mapping[int, int] | None = None,
) -> Selection:
    """The articles loaded in (since, until], best first, at most `size`.

    `pool` comes newest first. With topics, `topic_hits` maps each matching article to how many
    of the subscriber's topics it matches: only those count, the ones matching more first.
    """
    fresh = [a for a in pool if since < a.loaded_at <= until]
    if topic_hits is not None:
        fresh = [a for a in fresh if a.id in topic_hits]
        fresh.sort(key=lambda a: -topic_hits[a.id])  # stable: newest first among equals
    return Selection(fresh[:size], max(0, len(fresh) - size))
