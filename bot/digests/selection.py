"""What goes in one subscriber's digest: pure selection over the candidates already fetched.

Candidates are ids and load times only: a digest shows a handful of articles out of up to
thousands new ones, and only those few are read whole.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.search.wordmatch import ArticleWords, WordFilter, passes

Candidate = tuple[int, datetime]  # (article id, when it was loaded)


@dataclass(frozen=True, slots=True)
class Selection:
    ids: list[int]  # the articles to show, best first
    more: int  # how many others were new too ("and N more")


def select_articles(
    pool: Sequence[Candidate],
    *,
    since: datetime,
    until: datetime,
    size: int,
    topic_hits: Mapping[int, int] | None = None,
    allowed: Container[int] | None = None,
) -> Selection:
    """The articles loaded in (since, until], best first, at most `size`.

    `pool` comes newest first. With topics, `topic_hits` maps each matching article to how many
    of the subscriber's topics it matches: only those count, the ones matching more first.
    `allowed`: the articles the reader's word filters let through (None: no filters).
    """
    fresh = [article_id for article_id, loaded_at in pool if since < loaded_at <= until]
    if allowed is not None:
        fresh = [i for i in fresh if i in allowed]
    if topic_hits is not None:
        fresh = [i for i in fresh if i in topic_hits]
        fresh.sort(key=lambda i: -topic_hits[i])  # stable: newest first among equals
    return Selection(fresh[:size], max(0, len(fresh) - size))


def article_words(title: str, body: str) -> ArticleWords:
    """What word filters are matched against: the title and the whole text."""
    return ArticleWords(f"{title}\n{body}")


def passing(wanted: WordFilter, articles: Iterable[tuple[int, ArticleWords]]) -> set[int]:
    """The ids of the articles a reader's word filters let through."""
    return {article_id for article_id, words in articles if passes(wanted, words)}
