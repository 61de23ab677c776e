"""The corpus vocabulary, and correcting query words against it with rapidfuzz."""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.text import scripts, typo_budget

MAX_ALTERNATIVES = 4
MAX_PREFIX_EXPANSIONS = 12
BIG_VOCABULARY = 50_000
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 100
MAX_CACHED_PREFIXES = 4096
MAX_CACHED_CORRECTIONS = 4096
ONE_TYPO = (4, 8)  # the lengths typo_budget gives one typo (4: a word the corpus lacks)


@dataclass(frozen=True, slots=True)
class Alternative:
    """A corpus term that may stand for a query word, and what it costs."""

    term: str
    typos: int
    prefix: bool = False  # the query word is a prefix of this term (the last word only)


class Vocabulary:
    """Terms with their document counts, bucketed by length for fast bounded-distance lookups."""

    def __init__(self, terms: Iterable[tuple[str, int]]) -> None:
        self.doc_counts = dict(terms)
        # In a big corpus most terms are seen once (names, misprints): a typo is rarely meant
        # for one, and leaving them out of the fuzzy scan halves its cost.
        rare_too = len(self.doc_counts) <= BIG_VOCABULARY
        by_length: dict[int, list[str]] = defaultdict(list)
        for term, count in self.doc_counts.items():
            if rare_too or count > 1:
                by_length[len(term)].append(term)
        self._by_length = dict(by_length)
        # One typo (words of 5-8 letters, most of them): every term under each of its one-letter
        # deletions, so a word's near terms are a few dictionary lookups (a shared deletion
        # covers a substitution, an insertion, a deletion and a swap) instead of a scan.
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for length in range(ONE_TYPO[0] - 1, ONE_TYPO[1] + 2):
            for term in self._by_length.get(length, ()):
                self._deletes[term].append(term)
                for i in range(length):
                    self._deletes[term[:i] + term[i + 1 :]].append(term)
        self._deletes = dict(self._deletes)
        # Corrections asked again (the same words searched by many, or paged): remembered.
        self._corrected: dict[str, list[Alternative]] = {}
        # About the number of articles: the commonest term is in nearly all of them.
        self.documents = max(self.doc_counts.values(), default=0)
        self._sorted = sorted(self.doc_counts)
        # Short prefixes match thousands of terms: their top completions are worth remembering.
        self._short_prefixes: dict[str, list[Alternative]] = {}

    @functools.cached_property
    def scripts(self) -> frozenset[str]:
        """The alphabets the stories are written in (by each term's first letter): asked only
        when a search finds nothing, so it is not worked out before."""
        return scripts("".join({term[:1] for term in self._sorted}))

    def rarity(self, term: str) -> float:
        """How much finding the term tells (its inverse document frequency): nothing for a
        term in every article, most for one in none."""
        return math.log((self.documents + 1) / (self.doc_counts.get(term, 0) + 1))

    def common_terms(self, terms: Iterable[str]) -> frozenset[str]:
        """Those of the terms in a large share of all articles ("the", "after"): they match
        most of the corpus and tell articles apart by nothing."""
        limit = max(COMMON_MIN_DOCS, COMMON_SHARE * self.documents)
        return frozenset(t for t in terms if self.doc_counts.get(t, 0) > limit)

    def __len__(self) -> int:
        return len(self.doc_counts)

    def __contains__(self, term: object) -> bool:
        return term in self.doc_counts

    def corrections(self, word: str) -> list[Alternative]:
        """Terms within the word's typo budget (optimal string alignment: a swap is one typo).

        An exact hit is always kept and first; near terms come after, the closer and the more
        common first, so a real word typed for another ("form" for "from") still finds both.
        """
        cached = self._corrected.get(word)
        if cached is None:
            if len(self._corrected) >= MAX_CACHED_CORRECTIONS:
                del self._corrected[next(iter(self._corrected))]  # bounded: the oldest goes
            cached = self._corrected[word] = self._corrections(word)
        return list(cached)

    def _corrections(self, word: str) -> list[Alternative]:
        known = word in self.doc_counts
        budget = typo_budget(word, known=known)
        found: list[Alternative] = []
        if known:
            found.append(Alternative(word, 0))
        if budget == 0:
            return found
        near: list[tuple[int, int, str]] = []
        if budget == 1 and ONE_TYPO[0] <= len(word) <= ONE_TYPO[1]:
            seen: set[str] = set()
            for key in [word] + [word[:i] + word[i + 1 :] for i in range(len(word))]:
                seen.update(self._deletes.get(key, ()))
            seen.discard(word)
            for term in seen:
                distance = OSA.distance(word, term, score_cutoff=1)
                if distance <= 1:
                    near.append((distance, -self.doc_counts[term], term))
            # Two letters swapped across a third ("sirya" for syria, "ecomony" for economy)
            # is one slip of the fingers, though two edits apart: forgiven as one typo.
            for i in range(len(word) - 2):
                swapped = word[:i] + word[i + 2] + word[i + 1] + word[i] + word[i + 3 :]
                if swapped != word and swapped in self.doc_counts and swapped not in seen:
                    seen.add(swapped)
                    near.append((1, -self.doc_counts[swapped], swapped))
            near.sort()
            found.extend(Alternative(term, typos) for typos, _, term in near[:MAX_ALTERNATIVES])
            return found
        for length in range(len(word) - budget, len(word) + budget + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for term, distance, _ in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=budget, limit=MAX_ALTERNATIVES
            ):
                if term != word:
                    near.append((int(distance), -self.doc_counts[term], term))
        near.sort()
        found.extend(Alternative(term, typos) for typos, _, term in near[:MAX_ALTERNATIVES])
        return found

    def completions(self, prefix: str) -> list[Alternative]:
        """The most common terms that start with `prefix` (for the word being typed last)."""
        if len(prefix) <= 3:
            cached = self._short_prefixes.get(prefix)
            if cached is None:
                if len(self._short_prefixes) >= MAX_CACHED_PREFIXES:
                    # Bounded: distinct short words (CJK, say) are endless; the oldest goes.
                    del self._short_prefixes[next(iter(self._short_prefixes))]
                cached = self._short_prefixes[prefix] = self._completions(prefix)
            return cached
        return self._completions(prefix)

    def _completions(self, prefix: str) -> list[Alternative]:
        start = bisect.bisect_left(self._sorted, prefix)
        matches: list[str] = []
        for term in self._sorted[start:]:
            if not term.startswith(prefix):
                break
            if term != prefix:
                matches.append(term)
        matches.sort(key=lambda t: -self.doc_counts[t])
        return [Alternative(t, 0, prefix=True) for t in matches[:MAX_PREFIX_EXPANSIONS]]
