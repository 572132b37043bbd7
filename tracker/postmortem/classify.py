"""Which kind of measure an item is: corrective, preventive, detective, mitigation, process.

An explicit label (a Type column, a sub-heading such as "Detection") wins; otherwise the
wording decides. The rules are plain keyword lists so a reviewer can see why an item got
its kind, and the result is always one of the five kinds the tracker stores.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.postmortem.model import Kind

# A label such as a Type cell or a sub-heading names the kind directly.
LABELS: tuple[tuple[str, Kind], ...] = (
    (r"prevent", "preventive"),
    (r"correct|repair|\bfix", "corrective"),
    (r"detect|monitor|alert|observab", "detective"),
    (r"mitigat|contain", "mitigation"),
    (r"process|procedur|document|communicat|training|people|organi[sz]ational", "process"),
)

# Wording, checked in this order: the first family with a hit decides.
WORDING: tuple[tuple[Kind, str], ...] = (
    (
        "detective",
        r"\bmonitor|\balert|dashboard|\bdetect|observab|\bnotice|\bpag(?:ed|ing)\b|pagerduty"
        r"|\bmetrics?\b|visib|\bcheck\b|health ?check|\bprobe",
    ),
    (
        "process",
        r"runbook|playbook|\breview|training|\btrain\b|^document\b|documentation|\bdocs?\b"
        r"|post-?mortem"
        r"|on-?call|procedure|communicat|\bdrill|guideline|best practice"
        r"|\bcheck-?list|\binstruction|\bannounce|\bstatus page|\brecommend|\bdiscuss",
    ),
    (
        "mitigation",
        r"roll ?back|fail ?over|circuit.?breaker|rate.?limit|\bscale|\bcapacity|throttl"
        r"|kill.?switch|feature flag|\bredundan|\breplica|graceful|fallback|placeholder",
    ),
    (
        "corrective",
        r"\bfix|\bpatch|\brevert|\brepair|\brestore|\brebuild|\brotate|\bre-?enable"
        r"|\brenew|\breissue|\bissue a new|\bcorrect|\bremove\b|\bupgrade|\bincrease|\bdecrease|\breplace",
    ),
    (
        "preventive",
        r"\btest|\bvalidat|\bverif|\bprevent|\blimit|\bguard|\bautomat|\bquota|\bprotect|\benforce"
        r"|\bisolat|\bseparat|\bsegment|\brequire|\bharden|\bdedicated|\bsplit|\bpolicy",
    ),
)


_LABEL_RES = tuple((re.compile(pattern), kind) for pattern, kind in LABELS)
_WORDING_RES = tuple((kind, re.compile(pattern)) for kind, pattern in WORDING)


@lru_cache(maxsize=1024)
def kind_from_label(label: str) -> Kind | None:
    """The kind a Type cell or heading names ('prevention' -> preventive), else None."""
    low = label.lower()
    for pattern, kind in _LABEL_RES:
        if pattern.search(low):
            return kind
    return None


def kind_from_wording(text: str) -> Kind | None:
    """The kind suggested by an item's words, or None when nothing matches."""
    low = text.lower()
    for kind, pattern in _WORDING_RES:
        if pattern.search(low):
            return kind
    return None


def classify(text: str, *, label: Kind | None = None, heading: Kind | None = None) -> Kind:
    """Kind of one measure: explicit label, then heading, then wording; preventive by default.

    Monitoring wording overrides a heading hint because "Process improvements" lists often
    hold an alerting item, and an alert is a detective control whatever the heading says.
    """
    if label is not None:
        return label
    wording = kind_from_wording(text)
    if heading is not None and wording != "detective":
        return heading
    return wording or "preventive"
