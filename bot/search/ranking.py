"""Planning a query and ranking candidate articles: pure functions over plain values.

Ranking follows the best search engines: more query words matched first, then fewer typos,
then words found in the title over the body, then how close together they stand in the title
(proximity), then how close the title is to the query, then the newer article.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bot.search.text import has_word, typo_budget, words
from bot.search.vocabulary import Alternative, Vocabulary

MAX_QUERY_WORDS = 12
MIN_PREFIX = 2
# With the index's relevance (two rankings, each 0-1 of its best): what a tenth of title
# closeness, a typo and a word between matched title words add or take away.
CLOSENESS_WEIGHT = 0.01
TYPO_WEIGHT = 0.02
GAP_WEIGHT = 0.02
# For a query that reads as a detail, the share of its words an article holds, each weighed
# by its rarity (or the share of its telling words, without rarities), and the words it holds
# at all (bm25 alone lets two rare words outweigh four).
HELD_WEIGHT = 3.0
MATCHED_WEIGHT = 0.5
# For a query that reads as a headline, the share of its words the title holds (as corrected
# here: the index's fuzzy title match gives a 4-letter word no typo, so it misses "ocar" in
# "Oscar fuels ...").
IN_TITLE_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class QueryWord:
    typed: str
    alternatives: tuple[Alternative, ...]
    budget: int = 0  # typos forgiven (a 4-letter word the corpus lacks gets one: typo_budget)

    @property
    def best(self) -> str:
        """What we take the word to mean: its closest corpus term, or itself if none."""
        return self.alternatives[0].term if self.alternatives else self.typed


@dataclass(frozen=True, slots=True)
class QueryPlan:
    words: tuple[QueryWord, ...]

    def corrected(self, held: Sequence[str | None]) -> str | None:
        """The query as we understood it, when that differs from what was typed.

        `held`: the term the best result holds for each word (None: it holds none). Each word
        is shown as that term: "warnr" reads as "warner" when that is what matched, not as the
        commoner "warn"; a word being typed still reads as typed; a word matched by nothing is
        left out (it is named as ignored instead).
        """
        shown = []
        for word, term in zip(self.words, held, strict=True):
            if term is None:
                continue
            prefix = any(a.prefix and a.term == term for a in word.alternatives)
            shown.append(word.typed if prefix else term)
        typed = [w.typed for w in self.words]
        return None if not shown or shown == typed else " ".join(shown)

    def ignored(self, held: Sequence[str | None]) -> list[str]:
        """The typed words the best result does not hold (none when nothing was found)."""
        if all(term is None for term in held):
            return []
        return [w.typed for w, term in zip(self.words, held, strict=True) if term is None]


def plan_query(query: str, vocabulary: Vocabulary) -> QueryPlan:
    """Split the query into words and find, for each, the corpus terms it may mean.

    Every word may carry typos within its budget; the last word may also be the start of a
    longer word (people search as they type).
    """
    typed = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    planned = []
    for position, word in enumerate(typed):
        alternatives = vocabulary.corrections(word)
        # One letter or digit is no prefix worth completing: "p" would stand for every word.
        if position == len(typed) - 1 and len(word) >= MIN_PREFIX:
            have = {a.term for a in alternatives}
            alternatives += [a for a in vocabulary.completions(word) if a.term not in have]
            if alternatives and word not in vocabulary and alternatives[0].typos > 0:
                # A prefix that completes is a better guess than a typo fix of the whole word.
                alternatives.sort(key=lambda a: (not a.prefix, a.typos))
        budget = typo_budget(word, known=word in vocabulary)
        planned.append(QueryWord(word, tuple(alternatives), budget))
    return QueryPlan(tuple(planned))


def rarities(plan: QueryPlan, vocabulary: Vocabulary) -> dict[str, float]:
    """How much each term the query's words may stand for tells (see `rank`)."""
    return {
        term: vocabulary.rarity(term)
        for w in plan.words
        for term in (w.best, *(a.term for a in w.alternatives))
    }


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know of one article."""

    article_id: int
    title: str
    folded_title: str
    folded_body: str
    sort_at: datetime
    # The query's terms its body holds, where known (from the index); else `folded_body` is
    # scanned for each.
    body_terms: frozenset[str] | None = None

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
    held: tuple[str | None, ...] = ()  # for each query word, the term found for it (or None)


def _title_closeness(understood: str, title: str) -> int:
    """0-10: how much of the understood query (its words' best terms joined by spaces) the
    title (its folded words joined by spaces) holds, in tens of percent."""
    # Word order counts for half: "brown and blair" is closer to "Brown and Blair face new
    # rift claims" than to "Blair and Brown criticised by MPs".
    closeness = fuzz.token_set_ratio(understood, title) + fuzz.partial_ratio(understood, title)
    return int(closeness // 20)


def _near_in_title(word: QueryWord, title_words: Sequence[str]) -> tuple[str, int] | None:
    """The title word closest to a typed word within its typo budget: a rare name the
    vocabulary's correction left out is still matched where the index found it."""
    typed = word.typed
    budget = word.budget
    if budget == 0:
        return None
    best: tuple[str, int] | None = None
    for title_word in title_words:
        distance = OSA.distance(typed, title_word, score_cutoff=budget)
        if distance <= budget and (best is None or distance < best[1]):
            best = (title_word, distance)
    return best


def match(plan: QueryPlan, candidate: Candidate, title_words: Sequence[str] | None = None) -> Match:
    """Which of the query's words the candidate holds, and how (`title_words`: its title's
    words, when the caller has them already)."""
    matched = typos = in_title = 0
    found: set[str] = set()
    title_terms: set[str] = set()
    held: list[str | None] = []
    if title_words is None:
        title_words = candidate.title_words
    in_title_words = set(title_words)
    for word in plan.words:
        best: Alternative | None = None
        title_hit = False
        for alt in word.alternatives:
            in_t = alt.term in in_title_words
            if in_t:
                title_terms.add(alt.term)
            if in_t or (
                alt.term in candidate.body_terms
                if candidate.body_terms is not None
                else has_word(candidate.folded_body, alt.term)
            ):
                found.add(alt.term)
                title_hit = title_hit or in_t
                if best is None or alt.typos < best.typos:
                    best = alt
        if best is not None:
            matched += 1
            typos += best.typos
            in_title += title_hit
            held.append(best.term)
            continue
        near = _near_in_title(word, title_words)
        if near is None:
            held.append(None)
            continue
        term, distance = near
        matched += 1
        typos += distance
        in_title += 1
        found.add(term)
        title_terms.add(term)
        held.append(term)
    return Match(
        candidate.article_id, matched, typos, in_title, _gaps(title_words, title_terms),
        frozenset(found), tuple(held),
    )  # fmt: skip


def _gaps(title_words: Sequence[str], terms: set[str]) -> int:
    """Words standing between the matched ones in the title: "microsoft releases patches" is
    closer to that query than "microsoft releases bumper patches"."""
    if len(terms) < 2:
        return 0
    positions = [i for i, word in enumerate(title_words) if word in terms]
    return positions[-1] - positions[0] + 1 - len(positions)


def _telling(word: QueryWord, rarity: Mapping[str, float]) -> dict[str, float]:
    """How much finding each of the word's terms tells: its rarity, but never more than the
    word's best reading for a term that costs more (more typos, or a completion of a word the
    corpus has as typed): else a rare near-miss outranks the word meant ("sport" read as the
    rarer "sort", "goverment" as "movement" rather than "government")."""
    if not word.alternatives:
        return {}
    best = word.alternatives[0]
    ceiling = rarity.get(best.term, 0.0)
    telling = {}
    for a in word.alternatives:
        found = rarity.get(a.term, 0.0)
        telling[a.term] = min(found, ceiling) if costs_more(a, best) else found
    return telling


def costs_more(alternative: Alternative, best: Alternative) -> bool:
    """Whether a reading of a word is a worse guess than its best one: more typos, or a
    completion where the best is the word itself."""
    return (alternative.typos, alternative.prefix and not best.prefix) > (best.typos, False)


def rank(
    plan: QueryPlan,
    candidates: Sequence[Candidate],
    *,
    common: Collection[str] = frozenset(),
    scores: Mapping[int, float] | None = None,
    detail: float = 1.0,
    rarity: Mapping[str, float] | None = None,
) -> list[Match]:
    """The candidates that match at least one word, best first.

    `common`: terms in a large share of all articles ("the", "said"); matching one tells
    little, so they count only when every word is one. `scores`: the index's relevance (bm25),
    which orders articles alike in everything else (as details from a body usually are).
    `rarity`: how much each term tells (`Vocabulary.rarity`); with it the words an article
    holds count by their rarity rather than all-or-nothing by `common`, so an article holding
    two fairly common words of the query ("economic issues") beats one holding a single rarer
    word typed beside them ("story").
    """
    scored = []
    scores = scores or {}
    telling_words = max(
        1, sum(any(a.term not in common for a in w.alternatives) for w in plan.words)
    )
    understood = " ".join(w.best for w in plan.words)
    all_rarity = sum(rarity.get(w.best, 0.0) for w in plan.words) if rarity is not None else 0.0
    all_rarity = all_rarity or 1.0
    telling_of = [_telling(w, rarity) for w in plan.words] if rarity is not None else []
    for candidate in candidates:
        title_words = candidate.title_words
        m = match(plan, candidate, title_words)
        if m.matched == 0:
            continue
        telling = [t for t in m.held if t is not None and t not in common]
        closeness = _title_closeness(understood, " ".join(title_words))
        key: tuple[float, ...]
        if rarity is not None:
            held_share = (
                sum(telling_of[i].get(t, 0.0) for i, t in enumerate(m.held) if t is not None)
                / all_rarity
            )
        else:
            held_share = len(telling) / telling_words
        if scores:
            key = (
                -(scores.get(candidate.article_id, 0.0) + CLOSENESS_WEIGHT * closeness
                  + detail * (HELD_WEIGHT * held_share
                              + MATCHED_WEIGHT * m.matched)
                  + (1 - detail) * IN_TITLE_WEIGHT * m.in_title / max(1, len(plan.words))
                  - TYPO_WEIGHT * m.typos - GAP_WEIGHT * m.title_gaps),
                -candidate.sort_at.timestamp(),
                candidate.article_id,
            )  # fmt: skip
        else:
            key = (
                -len(telling),
                -m.matched,
                m.typos,
                -sum(t in title_words for t in telling),
                -m.in_title,
                m.title_gaps,
                -closeness,
                -candidate.sort_at.timestamp(),
                candidate.article_id,
            )
        scored.append((key, m))
    scored.sort(key=lambda pair: pair[0])
    return [m for _, m in scored]
