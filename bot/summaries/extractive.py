"""Extractive summaries: TextRank over a term-frequency cosine graph, biased towards the lead.

Sentences are nodes, edges are the cosine similarity of their content-word counts, and PageRank's
teleport vector favours early sentences (news puts the gist first). The rank is scaled down for
short and very long sentences, junk (photo credits, fragments) is skipped, and the summary never
opens on a sentence that leans on an earlier one ("He said...", "But..."): such a sentence brings
in the one before it, or waits until an earlier sentence has been chosen.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.summaries.sentences import iter_sentences

# Ranking is quadratic in sentences; the gist of a news story is in its first part anyway.
MAX_CANDIDATES = 120
MAX_SENTENCES_READ = 400  # bounds the splitting work on huge inputs
MIN_WORDS = 6  # shorter "sentences" are headings, captions or splitter fragments
FULL_WEIGHT_WORDS = 20  # sentences shorter than this carry too little to lead a summary
MAX_WORDS = 55  # longer ones are usually run-ons that read badly in a chat message
POSITION_DECAY = 0.5  # teleport weight of sentence i is 1 / (i + 1) ** POSITION_DECAY
DAMPING = 0.85
REDUNDANCY = 0.6  # cosine above which a candidate repeats an already chosen sentence

_WORD = re.compile(r"[^\W_]+")
_WORD_COUNT = re.compile(r"\S+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Openers that point back at something the reader of the summary has not seen.
_DANGLING_OPENER = re.compile(
    r"""^[\s"'“‘(\[-]*(?:
        he|she|it|its|they|them|this|these|those|that|his|her|their|such|
        but|however|also|and|or|so|yet|still|meanwhile|instead|nevertheless|moreover|
        furthermore|besides|otherwise|then|thus|i|we|you
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# '"We will win," he said.' quotes someone the summary may not have introduced. A comma or quote
# must come first: "shares rose after it said it would..." is self-contained.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[,\"”’']\s*(?:he|she|they|it|we|i)\s+(?:said|says|added|adds|told|explained|argued|noted"
    r"|insisted|warned|claimed|stressed|continued)\b",
    re.IGNORECASE,
)
# Captions and site boilerplate that scrapers leave in article bodies.
_JUNK = re.compile(
    r"(?:photo|picture|image|video)\s*(?:credit|copyright|reprints?|:|/)|getty images|"
    r"(?:associated press|\bap|reuters|afp)\s+photo|all rights reserved|click here|follow us on",
    re.IGNORECASE,
)

# Function words (plus news boilerplate like "said") that say nothing about the topic.
_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves said says say also mr
    mrs ms one two new year years may might must shall told last first
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def summarize(paragraphs: Sequence[str], max_sentences: int = 3) -> list[str]:
    """Return up to ``max_sentences`` key sentences of an article, in article order."""
    sentences = list(itertools.islice(iter_sentences(paragraphs), MAX_SENTENCES_READ))
    return summarize_sentences(sentences, max_sentences)


def summarize_sentences(sentences: Sequence[str], max_sentences: int = 3) -> list[str]:
    """Like `summarize`, for an article already split into sentences."""
    if max_sentences <= 0:
        return []
    candidates = [i for i, s in enumerate(sentences) if _is_content(s)][:MAX_CANDIDATES]
    if not candidates:
        # Nothing looks like prose; the opening sentences are the least bad answer.
        return list(sentences[:max_sentences])

    vectors = [_unit_vector(_terms(sentences[i])) for i in candidates]
    ranks = _pagerank(_similarity_matrix(vectors), _position_prior(len(candidates)))
    scores = [
        rank * _length_weight(sentences[i], is_lead=k == 0)
        for k, (i, rank) in enumerate(zip(candidates, ranks, strict=True))
    ]
    dangling = [_is_dangling(sentences[i]) for i in candidates]
    # The sentence right before a dangling one usually introduces whoever "he" or "this" is.
    introducers = [
        k - 1 if k and candidates[k - 1] == i - 1 and not dangling[k - 1] else None
        for k, i in enumerate(candidates)
    ]
    picked = _select(scores, vectors, dangling, introducers, max_sentences)
    return [sentences[candidates[k]] for k in sorted(picked)]


def _select(
    scores: list[float],
    vectors: list[dict[str, float]],
    dangling: list[bool],
    introducers: list[int | None],
    limit: int,
) -> list[int]:
    """Pick the best-scored candidates, skipping repeats; a dangling one never comes first."""
    picked: list[int] = []
    deferred: list[int] = []

    def admissible(k: int) -> bool:
        return all(_cosine(vectors[k], vectors[p]) <= REDUNDANCY for p in picked)

    for k in sorted(range(len(scores)), key=lambda k: -scores[k]):
        if len(picked) == limit:
            break
        if k in picked or not admissible(k):  # k may have been pulled in by a later sentence
            continue
        if dangling[k] and not any(p < k for p in picked):
            before = introducers[k]
            if before is None or len(picked) + 2 > limit or not admissible(before):
                deferred.append(k)  # it may still follow an earlier sentence picked later
                continue
            picked.append(before)  # pull in the sentence that introduces it
        picked.append(k)
        for d in list(deferred):  # candidates are in article order, so d > p means "after"
            if len(picked) < limit and d > min(picked) and admissible(d):
                picked.append(d)
                deferred.remove(d)
    if not picked:
        # Every candidate dangles: better a summary that leans on context than none.
        picked = deferred[:limit]
    return picked


def _is_content(sentence: str) -> bool:
    return (
        len(_WORD_COUNT.findall(sentence)) >= MIN_WORDS
        and _HAS_LETTER.search(sentence) is not None
        and _JUNK.search(sentence) is None
    )


def _is_dangling(sentence: str) -> bool:
    first = sentence.lstrip(" \"'“‘([-")
    return (
        (first[:1].islower())
        or _DANGLING_OPENER.match(sentence) is not None
        or _PRONOUN_ATTRIBUTION.search(sentence) is not None
    )


def _length_weight(sentence: str, *, is_lead: bool) -> float:
    words = len(_WORD_COUNT.findall(sentence))
    if words > MAX_WORDS:
        return MAX_WORDS / words
    if is_lead:
        return 1.0  # a short lead ("Microsoft has unveiled its search engine.") is the best opener
    return min(1.0, words / FULL_WEIGHT_WORDS)


def _terms(sentence: str) -> Counter[str]:
    terms: Counter[str] = Counter()
    for word in _WORD.findall(sentence.casefold()):
        if len(word) < 2 or word in _STOPWORDS:
            continue
        # Crude plural folding, enough to match "talks" with "talk" without a stemmer dependency.
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms[word] += 1
    return terms


def _unit_vector(terms: Counter[str]) -> dict[str, float]:
    norm = math.sqrt(sum(count * count for count in terms.values()))
    return {term: count / norm for term, count in terms.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def _similarity_matrix(vectors: list[dict[str, float]]) -> list[list[float]]:
    n = len(vectors)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = _cosine(vectors[i], vectors[j])
    return matrix


def _position_prior(n: int) -> list[float]:
    weights = [1.0 / (i + 1) ** POSITION_DECAY for i in range(n)]
    total = sum(weights)
    return [w / total for w in weights]


def _pagerank(matrix: list[list[float]], teleport: list[float]) -> list[float]:
    """Personalised PageRank by power iteration; isolated nodes jump along `teleport`."""
    n = len(matrix)
    out_weight = [sum(row) for row in matrix]
    rank = list(teleport)
    for _ in range(50):
        dangling_mass = sum(rank[j] for j in range(n) if out_weight[j] == 0.0)
        new = [(1.0 - DAMPING + DAMPING * dangling_mass) * t for t in teleport]
        for j in range(n):
            if out_weight[j] == 0.0:
                continue
            share = DAMPING * rank[j] / out_weight[j]
            row = matrix[j]
            for i in range(n):
                if row[i]:
                    new[i] += share * row[i]
        delta = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if delta < 1e-6:
            break
    return rank
