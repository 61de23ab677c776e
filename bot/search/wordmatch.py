"""Whether an article holds a reader's words, forgiving typos as search does.

Used where a reader names words rather than asks a question: digest word filters (`+election`,
`-football`) and alerts for words as stories arrive. One pass over the article's words builds a
set; each reader word is then looked up exactly, or among words of a near length within the same
typo budget that search allows, so the cost stays linear in the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.text import typo_budget, words


@dataclass(frozen=True, slots=True)
class WordFilter:
    """Folded reader words: an article passes when it holds any `require` word (or there are
    none) and no `exclude` word. A term of several words needs each of them."""

    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.require or self.exclude)


def parse_filter(typed: Iterable[str]) -> WordFilter:
    """`+word` or a bare word is required, `-word` excluded; folded, each kept once."""
    require: dict[str, None] = {}
    exclude: dict[str, None] = {}
    for item in typed:
        item = item.strip()
        target = exclude if item.startswith("-") else require
        term = " ".join(words(item.lstrip("+-")))
        if term:
            target[term] = None
    return WordFilter(tuple(require), tuple(exclude))


class ArticleWords:
    """The distinct folded words of one article, grouped by length for the typo lookups."""

    __slots__ = ("_by_length", "_words")

    def __init__(self, text: str) -> None:
        self._words = set(words(text))
        self._by_length: dict[int, list[str]] = {}
        for word in self._words:
            self._by_length.setdefault(len(word), []).append(word)

    def has(self, word: str) -> bool:
        """`word` (folded) or a word within its typo budget."""
        if word in self._words:
            return True
        budget = typo_budget(word)
        if not budget:
            return False
        for length in range(len(word) - budget, len(word) + budget + 1):
            near = self._by_length.get(length)
            if near and process.extractOne(word, near, scorer=OSA.distance, score_cutoff=budget):
                return True
        return False

    def has_term(self, term: str) -> bool:
        return all(self.has(word) for word in term.split())

    def matching(self, terms: Sequence[str]) -> list[str]:
        """The terms this article holds, in the order given."""
        return [term for term in terms if self.has_term(term)]


def passes(wanted: WordFilter, article: ArticleWords) -> bool:
    if any(article.has_term(term) for term in wanted.exclude):
        return False
    return not wanted.require or any(article.has_term(term) for term in wanted.require)
