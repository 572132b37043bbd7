"""Action items that are only a reference: "- [KM676](https://trello…)", "- org/repo#12".

Teams often list a ticket under "Action items" and say what it is elsewhere ("As a more
permanent fix, we'll move the logs to S3 as described in KM676"). Such an item is named by the
sentence that cites the same reference, and that sentence is not imported a second time.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tracker.postmortem.model import ParsedMeasure

# A title that is nothing but a reference: a ticket key (with or without its dash), an issue
# number, a repository-qualified issue, a GitLab merge request or a link.
BARE_REF_RE = re.compile(
    r"(?:[A-Z][A-Z0-9]{1,9}-?\d{1,7}|[#!]\d+|[\w.-]+(?:/[\w.-]+)+[#!]\d+|https?://\S+)"
)
# How a sentence points at the reference it names: "as described in KM676", "(see #12)".
_CITATION_RE = (
    r"\s*[,;(]?\s*(?:(?:as\s+)?(?:described|tracked|detailed|explained)\s+in|see|in|via|per)?\s*"
)


def name_bare_references(measures: list[ParsedMeasure]) -> list[ParsedMeasure]:
    """Give bare-reference items the wording of a measure that cites them, and their ref."""
    bare = {i: m.title.strip() for i, m in enumerate(measures) if _is_bare(m.title)}
    if not bare:
        return measures
    named: dict[int, ParsedMeasure] = {}
    used: set[int] = set()
    for i, ref in bare.items():
        item = measures[i]
        citing = next(
            (
                j
                for j, other in enumerate(measures)
                if j not in bare and j not in used and _cites(other, ref)
            ),
            None,
        )
        if citing is None:
            named[i] = item if item.tracking_ref else replace(item, tracking_ref=ref)
            continue
        used.add(citing)
        source = measures[citing]
        named[i] = replace(
            item,
            title=_without_citation(source.title, ref),
            description=source.description or item.description,
            tracking_ref=item.tracking_ref or ref,
            owner=item.owner or source.owner,
            due_date=item.due_date or source.due_date,
        )
    return [named.get(i, m) for i, m in enumerate(measures) if i not in used]


def _is_bare(title: str) -> bool:
    return BARE_REF_RE.fullmatch(title.strip()) is not None


def _cites(measure: ParsedMeasure, ref: str) -> bool:
    pattern = rf"(?<![\w/#!-]){re.escape(ref)}(?![\w-])"
    return re.search(pattern, f"{measure.title}\n{measure.description}") is not None


def _without_citation(title: str, ref: str) -> str:
    tail = re.compile(rf"{_CITATION_RE}{re.escape(ref)}\s*\)?\s*[.;]?\s*$", re.IGNORECASE)
    plain = tail.sub("", title).strip(" ,;:-–—")
    return plain or title
