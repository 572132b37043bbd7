"""An item's raw Markdown -> a clean title plus what the text says about it.

Documents write `- [ ] Add alerting (in progress) [#123](https://github.com/o/r/issues/123)`;
the tracker wants the title "Add alerting", the status and the reference `o/r#123`, each
in its own field, with the author's wording otherwise kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.postmortem.dates import DateContext, find_dates
from tracker.postmortem.model import Priority

LINK_RE = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
URL_RE = re.compile(r"https?://[^\s)>\]]+")
GITHUB_REF_RE = re.compile(
    r"github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)/(?:issues|pull|pulls)/(?P<num>\d+)"
)
JIRA_KEY_RE = re.compile(r"\b(?P<key>[A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
NOT_JIRA = re.compile(r"^(?:UTC|GMT|UTF|SHA|ISO|RFC|CVE|COVID|MD|TLS|SSL|HTTP|IPV|E2E|X)-")
REF_TEXT_RE = re.compile(
    r"^(?:[\w.-]*#\d+|.*\b(?:issue|issues|pr|prs|pull request|here|see|ticket|link|bug|jira)\b.*)$",
    re.IGNORECASE,
)
STATUS_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\(\s*(?:in[ -]progress|wip|ongoing|started)\s*\)", re.I), "in_progress"),
    (re.compile(r"\(\s*(?:done|completed?|finished|fixed|resolved)\s*\)", re.I), "done"),
    (re.compile(r"\(\s*(?:todo|to do|planned|open|not started)\s*\)", re.I), "open"),
    (re.compile(r"^\s*(?:\[?(?:DONE|FIXED)\]?:?|✅|✔️?)\s+"), "done"),
    (re.compile(r"^\s*\[?(?:TODO|TO DO)\]?:?\s+"), "open"),
    (re.compile(r"\s+[-–—]?\s*(?:\[?(?:DONE|FIXED)\]?|✅|✔️?)\.?\s*$"), "done"),
    (re.compile(r"\s+[-–—]?\s*\[?(?:TODO|WIP)\]?\.?\s*$"), "open"),
    (re.compile(r"[_*]+(?:done|completed)\b[^_*]*[_*]+\.?\s*$", re.I), "done"),
)
OWNER_RE = re.compile(
    r"\(\s*(?:owner|owners|assignee|assigned to|responsible)\s*[:=-]?\s*(?P<a>[^)]+?)\s*\)"
    r"|\b(?:owner|assignee|assigned to)\s*[:=]\s*(?P<b>@?[\w.@+-]+(?:\s+[A-Z][\w.-]+)?)"
    r"|\s[—–-]\s*(?P<c>@[\w.-]+)\s*$",
    re.IGNORECASE,
)
PRIORITY_RE = re.compile(
    r"\bP(?P<p>[0-3])\b|\bpriority\s*[:=]?\s*(?P<w>critical|urgent|highest|high|medium|normal|low)",
    re.IGNORECASE,
)
PRIORITY_WORDS: dict[str, Priority] = {
    "critical": "P0", "urgent": "P0", "highest": "P0", "high": "P1",
    "medium": "P2", "normal": "P2", "low": "P3",
}  # fmt: skip
DUE_CUE_RE = re.compile(
    r"\b(?:due(?:\s+date)?|deadline|target(?:\s+date)?|eta|by)\s*[:=]?\s*", re.I
)
ABBREVIATIONS = ("e.g.", "i.e.", "ex.", "etc.", "vs.", "approx.", "incl.", "no.")


@dataclass(slots=True)
class InlineFacts:
    """What one item's text says besides its title."""

    title: str
    description: str
    refs: list[str]
    status: str | None = None
    owner: str | None = None
    priority: Priority | None = None
    due: date | None = None


def refs_in(text: str) -> list[str]:
    """Tracking references: GitHub issue/PR links as owner/repo#N, then Jira-like keys."""
    refs = [f"{m['owner']}/{m['repo']}#{m['num']}" for m in GITHUB_REF_RE.finditer(text)]
    without_urls = URL_RE.sub(" ", text)
    refs += [m["key"] for m in JIRA_KEY_RE.finditer(without_urls) if not NOT_JIRA.match(m["key"])]
    return list(dict.fromkeys(refs))


def _replace_link(m: re.Match[str]) -> str:
    label = m[1].strip()
    if not label or REF_TEXT_RE.match(label) and len(label.split()) <= 6:
        return ""
    return label


def strip_markup(text: str) -> str:
    """Markdown inline markup -> plain words; links keep their text unless it is just a ref."""
    text = IMAGE_RE.sub("", text)
    text = LINK_RE.sub(_replace_link, text)
    text = AUTOLINK_RE.sub("", text)
    text = URL_RE.sub("", text)
    text = re.sub(r"\\([*_`\[\]#])", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)([^*_]+?)(?<=\S)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"\(\s*[,;:]?\s*\)|\[\s*\]", "", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def first_sentence(text: str) -> str:
    """The first sentence, not fooled by 'e.g.' or 'ex.'; long items keep their first clause."""
    protected = text
    for abbr in ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", "\x00"))
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(\"“'])", protected, maxsplit=1)
    return parts[0].replace("\x00", ".").strip()


def _take_status(text: str) -> tuple[str, str | None]:
    status = None
    for pattern, value in STATUS_MARKERS:
        if pattern.search(text):
            status = status or value
            text = pattern.sub(" ", text)
    return text.strip(), status


def _take_owner(text: str) -> tuple[str, str | None]:
    m = OWNER_RE.search(text)
    if m is None:
        return text, None
    owner = (m["a"] or m["b"] or m["c"] or "").strip()
    return (text[: m.start()] + text[m.end() :]).strip(), owner or None


def _take_priority(text: str) -> tuple[str, Priority | None]:
    m = PRIORITY_RE.search(text)
    if m is None:
        return text, None
    value: Priority = PRIORITY_WORDS[m["w"].lower()] if m["w"] else f"P{m['p']}"  # type: ignore[assignment]
    cleaned = re.sub(r"\(\s*\)|\[\s*\]", "", text[: m.start()] + text[m.end() :])
    return cleaned.strip(), value


def _take_due(text: str, ctx: DateContext) -> tuple[str, date | None]:
    for cue in DUE_CUE_RE.finditer(text):
        dates = [d for d in find_dates(text[cue.end() : cue.end() + 40], ctx) if d.start <= 1]
        if dates and dates[0].has_year:
            end = cue.end() + dates[0].end
            start = cue.start()
            if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
                start, end = start - 1, end + 1
            return (text[:start] + text[end:]).strip(), dates[0].value
    return text, None


def read_item(raw: str, ctx: DateContext) -> InlineFacts:
    """Title, description, refs, status, owner, priority and due date of one item's text."""
    refs = refs_in(raw)
    text = raw.replace("\n", " ")
    text, status = _take_status(text)
    text, owner = _take_owner(text)
    text, priority = _take_priority(text)
    text, due = _take_due(text, ctx)
    plain = strip_markup(text)
    plain = re.sub(r"\s*\((?:[\w.-]*#\d+|[A-Z][A-Z0-9]+-\d+)\)\s*$", "", plain)
    plain = re.sub(r"\s+[-–—(]?\s*[A-Z][A-Z0-9]{1,9}-\d+\)?\s*$", "", plain)
    plain, late_status = _take_status(plain)
    title = first_sentence(plain)
    title = title.rstrip(" .;,:-–—").strip()
    description = plain if plain.rstrip(". ") != title else ""
    return InlineFacts(title, description, refs, status or late_status, owner, priority, due)
