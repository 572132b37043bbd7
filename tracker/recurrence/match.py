"""Which earlier incidents an incident resembles, and which new actions repeat open ones. Pure.

Resemblance = the same kind of failure (a shared failure class, tracker.recurrence.taxonomy)
and similar wording of the title, impact and root cause (BM25, rank-bm25). The infrastructure
words every post-mortem uses ("production", "deploy", "database", "outage", ...) are not
counted, and the text compared is the incident's core, not the whole document: a long blog
post would otherwise resemble everything.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.recurrence.taxonomy import count_hits

# Classes scoring at least this (title hit 3, impact/root cause hit 2, other text 1, capped):
# one word in the title, impact or root cause, or two in the timeline and measures.
CLASS_MIN_SCORE = 2
MAX_CLASSES = 3
# A pair is related when it shares a class and the combined score reaches this. The same
# classes alone reach it; a partial overlap needs similar wording as well.
CLASS_WEIGHT = 0.7
RELATED_MIN_SCORE = 0.5
# A new action repeats an open one when their words overlap this much (Jaccard).
DUPLICATE_MIN_OVERLAP = 0.6

# Words every incident write-up uses: they say nothing about the kind of failure.
INFRA_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "we",
        "were",
        "which",
        "while",
        "will",
        "with",
        "not",
        "no",
        "all",
        "also",
        "after",
        "before",
        "during",
        "when",
        "then",
        "than",
        "but",
        "out",
        "up",
        "down",
        "over",
        "under",
        "about",
        "more",
        "most",
        "new",
        "some",
        "any",
        "each",
        "other",
        "only",
        "production",
        "prod",
        "staging",
        "deploy",
        "deployed",
        "deploys",
        "deployment",
        "deployments",
        "release",
        "released",
        "database",
        "databases",
        "db",
        "server",
        "servers",
        "service",
        "services",
        "system",
        "systems",
        "outage",
        "outages",
        "incident",
        "incidents",
        "issue",
        "issues",
        "problem",
        "problems",
        "error",
        "errors",
        "failure",
        "failures",
        "failed",
        "fail",
        "user",
        "users",
        "customer",
        "customers",
        "team",
        "teams",
        "request",
        "requests",
        "app",
        "application",
        "applications",
        "data",
        "time",
        "minutes",
        "hours",
        "hour",
        "day",
        "days",
        "cause",
        "caused",
        "root",
        "impact",
        "affected",
        "affecting",
        "caused",
        "postmortem",
        "post",
        "mortem",
        "report",
        "summary",
        "update",
        "updated",
        "page",
        "pages",
        "site",
        "website",
        "platform",
    ]
)
_WORD = re.compile(r"[a-zà-ÿ0-9]{3,}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased words without infrastructure words; CJK runs become character pairs."""
    return _tokens(text)


@lru_cache(maxsize=100_000)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if _CJK.match(word):
            out += [word[i : i + 2] for i in range(max(1, len(word) - 1))]
        elif word not in INFRA_WORDS and not word.isdigit():
            out.append(word)
    return tuple(out)


@dataclass
class IncidentText:
    """What recurrence reads of one incident."""

    id: int
    title: str
    impact: str = ""
    root_cause: str = ""
    other: str = ""  # timeline and measures
    classes: list[str] = field(default_factory=list)

    @property
    def core(self) -> str:
        return f"{self.title}\n{self.impact}\n{self.root_cause}"


def classify(incident: IncidentText) -> list[str]:
    """Failure classes found in the incident's words, strongest first (at most three)."""
    score: dict[str, int] = {}
    for text, weight, cap in (
        (incident.title, 3, None),
        (f"{incident.impact}\n{incident.root_cause}", 2, None),
        (incident.other, 1, 3),
    ):
        for name, hits in count_hits(text).items():
            score[name] = score.get(name, 0) + weight * (hits if cap is None else min(hits, cap))
    ranked = sorted((s, n) for n, s in score.items() if s >= CLASS_MIN_SCORE)
    return [n for _, n in sorted(ranked, key=lambda p: (-p[0], p[1]))][:MAX_CLASSES]


@dataclass(frozen=True)
class Resemblance:
    incident_id: int
    score: float
    shared_classes: tuple[str, ...]


class Bm25:
    """Okapi BM25 over a fixed corpus (k1 1.5, b 0.75; idf floored at a quarter of the mean,
    as rank-bm25 does). Built once, then every document can be scored against every other.

    Written out rather than taken from rank-bm25: that package imports numpy, which alone
    costs about 0.4 s per `capa-tracker import` process, more than the whole matching.
    """

    k1, b = 1.5, 0.75

    def __init__(self, corpus: Sequence[Sequence[str]]) -> None:
        n = len(corpus)
        self.counts = [Counter(d) for d in corpus]
        lengths = [len(d) for d in corpus]
        avg = sum(lengths) / n if n else 0.0
        self.norms = [
            self.k1 * (1 - self.b + self.b * length / avg) if avg else self.k1 for length in lengths
        ]
        df: Counter[str] = Counter()
        for c in self.counts:
            df.update(c.keys())
        idf = {t: math.log(n - f + 0.5) - math.log(f + 0.5) for t, f in df.items()}
        floor = 0.25 * (sum(idf.values()) / len(idf)) if idf else 0.0
        self.idf = {t: (v if v > 0 else floor) for t, v in idf.items()}

    def score(self, query: Sequence[str], doc: int) -> float:
        c, norm, k1 = self.counts[doc], self.norms[doc], self.k1
        return sum(self.idf.get(t, 0.0) * c[t] * (k1 + 1) / (c[t] + norm) for t in query if t in c)


class Matcher:
    """Resemblance among a set of incidents; the index is built once for all of them."""

    def __init__(self, incidents: Sequence[IncidentText]) -> None:
        self.incidents = list(incidents)
        self.position = {t.id: i for i, t in enumerate(self.incidents)}
        self.words = [tokens(t.core) for t in self.incidents]
        self.index = Bm25(self.words)

    def resembling(self, incident_id: int, candidates: Iterable[int]) -> list[Resemblance]:
        """Which of `candidates` are the same kind of failure, most similar first."""
        me = self.position[incident_id]
        target = self.incidents[me]
        if not target.classes:
            return []
        mine = set(target.classes)
        query = self.words[me]
        top = self.index.score(query, me) or 1.0
        out = []
        for other_id in candidates:
            i = self.position.get(other_id)
            if i is None or i == me:
                continue
            other = self.incidents[i]
            shared = mine & set(other.classes)
            if not shared:
                continue
            text = max(0.0, min(1.0, self.index.score(query, i) / top)) if query else 0.0
            classes = len(shared) / len(mine | set(other.classes))
            score = round(CLASS_WEIGHT * classes + (1 - CLASS_WEIGHT) * text, 3)
            if score >= RELATED_MIN_SCORE:
                out.append(Resemblance(other.id, score, tuple(sorted(shared))))
        return sorted(out, key=lambda r: (-r.score, r.incident_id))


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def duplicate_of(title: str, open_actions: Sequence[tuple[int, str]]) -> int | None:
    """The open action (id) that a new action's title repeats, if any (the closest one)."""
    words = tokens(title)
    if not words:
        return None
    best: tuple[float, int] | None = None
    for action_id, other in open_actions:
        o = overlap(words, tokens(other))
        if o >= DUPLICATE_MIN_OVERLAP and (best is None or o > best[0]):
            best = (o, action_id)
    return best[1] if best else None
