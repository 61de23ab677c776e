"""Planning a query and ranking candidate articles: pure functions over plain values.

Ranking follows the best search engines: more query words matched first, then fewer typos,
then words found in the title over the body, then how close together they stand in the title
(proximity), then how close the title is to the query, then the newer article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from bot.search.text import has_word, words
from bot.search.vocabulary import Alternative, Vocabulary

MAX_QUERY_WORDS = 12


@dataclass(frozen=True, slots=True)
class QueryWord:
    typed: str
    alternatives: tuple[Alternative, ...]

    @property
    def best(self) -> str:
        """What we take the word to mean: its closest corpus term, or itself if none."""
        return self.alternatives[0].term if self.alternatives else self.typed


@dataclass(frozen=True, slots=True)
class QueryPlan:
    words: tuple[QueryWord, ...]

    def corrected(self, found: frozenset[str] = frozenset()) -> str | None:
        """The query as we understood it, when that differs from what was typed.

        Each word is shown as the term the best result actually holds, when it holds one:
        "warnr" reads as "warner" when that is what matched, not as the commoner "warn".
        """
        shown = []
        for word in self.words:
            held = [a for a in word.alternatives if a.term in found]
            pick = min(held, key=lambda a: a.typos) if held else None
            if pick is None and word.alternatives:
                pick = word.alternatives[0]
            shown.append(word.typed if pick is None or pick.prefix else pick.term)
        return None if shown == [w.typed for w in self.words] else " ".join(shown)

    def groups(self) -> list[list[str]]:
        """The terms that may stand for each word (words with none are left out)."""
        return [[a.term for a in w.alternatives] for w in self.words if w.alternatives]


def plan_query(query: str, vocabulary: Vocabulary) -> QueryPlan:
    """Split the query into words and find, for each, the corpus terms it may mean.

    Every word may carry typos within its budget; the last word may also be the start of a
    longer word (people search as they type).
    """
    typed = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    planned = []
    for position, word in enumerate(typed):
        alternatives = vocabulary.corrections(word)
        if position == len(typed) - 1:
            have = {a.term for a in alternatives}
            alternatives += [a for a in vocabulary.completions(word) if a.term not in have]
            if alternatives and word not in vocabulary and alternatives[0].typos > 0:
                # A prefix that completes is a better guess than a typo fix of the whole word.
                alternatives.sort(key=lambda a: (not a.prefix, a.typos))
        planned.append(QueryWord(word, tuple(alternatives)))
    return QueryPlan(tuple(planned))


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know of one article."""

    article_id: int
    title: str
    folded_title: str
    folded_body: str
    sort_at: datetime

    @property
    def title_words(self) -> list[str]:
        return words(self.folded_title)


@dataclass(frozen=True, slots=True)
class Match:
    article_id: int
    matched: int
    typos: int
    in_title: int
    title_gaps: int  # other words between the matched ones in the title (0: side by side)
    terms: frozenset[str]  # the corpus terms found, for highlighting


def _title_closeness(plan: QueryPlan, title: str) -> int:
    """0-10: how much of the understood query the title holds, in tens of percent."""
    understood = " ".join(w.best for w in plan.words)
    return int(fuzz.token_set_ratio(understood, " ".join(words(title))) // 10)


def match(plan: QueryPlan, candidate: Candidate) -> Match:
    matched = typos = in_title = 0
    found: set[str] = set()
    title_terms: set[str] = set()
    for word in plan.words:
        best: Alternative | None = None
        title_hit = False
        for alt in word.alternatives:
            in_t = has_word(candidate.folded_title, alt.term)
            if in_t:
                title_terms.add(alt.term)
            if in_t or has_word(candidate.folded_body, alt.term):
                found.add(alt.term)
                title_hit = title_hit or in_t
                if best is None or alt.typos < best.typos:
                    best = alt
        if best is not None:
            matched += 1
            typos += best.typos
            in_title += title_hit
    return Match(
        candidate.article_id, matched, typos, in_title, _gaps(candidate, title_terms),
        frozenset(found),
    )  # fmt: skip


def _gaps(candidate: Candidate, terms: set[str]) -> int:
    """Words standing between the matched ones in the title: "microsoft releases patches" is
    closer to that query than "microsoft releases bumper patches"."""
    if len(terms) < 2:
        return 0
    positions = [i for i, word in enumerate(candidate.title_words) if word in terms]
    return positions[-1] - positions[0] + 1 - len(positions)


def rank(plan: QueryPlan, candidates: Sequence[Candidate]) -> list[Match]:
    """The candidates that match at least one word, best first."""
    scored = []
    for candidate in candidates:
        m = match(plan, candidate)
        if m.matched == 0:
            continue
        key = (
            -m.matched,
            m.typos,
            -m.in_title,
            m.title_gaps,
            -_title_closeness(plan, candidate.title),
            -candidate.sort_at.timestamp(),
            candidate.article_id,
        )
        scored.append((key, m))
    scored.sort(key=lambda pair: pair[0])
    return [m for _, m in scored]
