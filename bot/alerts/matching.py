"""Which chats a new article is for: pure matching of articles against follows.

A followed word is found in the article's title or text with typos forgiven as search forgives
them (`ArticleWords`: one pass over the article, then a lookup per word); a followed topic is
one of the article's topics or its section, as `/latest <topic>` reads them. Only articles that
arrived after the follow count: following is not a search of the past.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.search.text import fold
from bot.search.wordmatch import ArticleWords
from storage.models import Article, Follow

WORD, TOPIC = "word", "topic"


@dataclass(frozen=True, slots=True)
class Match:
    chat_id: int
    article_id: int


def article_topics(article: Article) -> set[str]:
    names = [*article.topics, *([article.section] if article.section else [])]
    return {fold(name) for name in names}


def matches(articles: Sequence[Article], follows: Sequence[Follow]) -> list[Match]:
    """Each (chat, article) pair once, in article order."""
    found: dict[tuple[int, int], None] = {}
    words = [f for f in follows if f.kind == WORD]
    topics = [f for f in follows if f.kind == TOPIC]
    for article in articles:
        text: ArticleWords | None = None  # built only when some chat follows a word
        held: dict[str, bool] = {}  # each distinct word looked up once, however many follow it
        folded_topics = article_topics(article) if topics else set()
        for follow in topics:
            if follow.created_at <= article.loaded_at and fold(follow.term) in folded_topics:
                found[(follow.chat_id, article.id)] = None
        for follow in words:
            if follow.created_at > article.loaded_at or (follow.chat_id, article.id) in found:
                continue
            if text is None:
                text = ArticleWords(f"{article.title}\n{article.body}")
            if follow.term not in held:
                held[follow.term] = text.has_term(follow.term)
            if held[follow.term]:
                found[(follow.chat_id, article.id)] = None
    return [Match(chat, article) for chat, article in found]
