"""An item's raw Markdown -> a clean title plus what the text says about it.

Documents write `- [ ] Add alerting (in progress) [#123](https://github.com/o/r/issues/123)`;
the tracker wants the title "Add alerting", the status and the reference `o/r#123`, each
in its own field, with the author's wording otherwise kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.postmortem.dates import DateContext, find_dates, period_end
from tracker.postmortem.labels import ACTION_VERB_RE
from tracker.postmortem.model import Priority
from tracker.postmortem.periods import (
    MONTH_PERIOD_RE,
    QUARTER_PERIOD_RE,
    after_incident,
    month_period_end,
)

LINK_RE = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
URL_RE = re.compile(r"https?://[^\s)>\]]+")
GITHUB_REF_RE = re.compile(
    r"github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)/(?:issues|pull|pulls)/(?P<num>\d+)"
)
# GitLab (group/sub/project/-/issues/N or merge_requests/N), Jira (/browse/KEY-1) and Bugzilla
# (show_bug.cgi?id=N) links, so an issue-link list keeps its tracker reference.
GITLAB_REF_RE = re.compile(
    r"gitlab\.[\w.]+/(?P<path>[\w.-]+(?:/[\w.-]+)+?)/-/(?P<what>issues|merge_requests)/(?P<num>\d+)"
)
JIRA_URL_RE = re.compile(r"/browse/(?P<key>[A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
BUGZILLA_RE = re.compile(r"https?://(?P<host>[\w.-]+)/show_bug\.cgi\?id=(?P<num>\d+)")
# A repository-qualified or announced issue number: "org/repo#212", "PR #1184", "MR !23".
HASH_REF_RE = re.compile(
    r"(?<![\w/.-])(?P<ref>[\w.-]+/[\w.-]+#\d+)\b"
    r"|\b(?:PR|MR|pull request|merge request|issue|ticket|bug)\s*(?P<ref2>[#!]\d+)\b",
    re.IGNORECASE,
)
JIRA_KEY_RE = re.compile(r"\b(?P<key>[A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
NOT_JIRA = re.compile(r"^(?:UTC|GMT|UTF|SHA|ISO|RFC|CVE|COVID|MD|TLS|SSL|HTTP|IPV|E2E|X)-")
REF_TEXT_RE = re.compile(
    r"^(?:[\w.-]*#\d+|.*\b(?:issue|issues|pr|prs|pull request|here|see|ticket|link|bug|jira)\b.*)$",
    re.IGNORECASE,
)
DONE_WORDS = (
    r"erledigt|abgeschlossen|umgesetzt|hecho|terminado|completado|feito|conclu[íi]do|termin[ée]"
    r"|fait|fatto|completato|klaar|gereed|afgerond|完了|済み|対応済み|已完成|完成|已解决|완료|조치 완료"
    r"|выполнено|готово|сделано|xong|ho[àa]n th[àa]nh|đ[ãa] xong"
    r"|zrobione|wykonane|zako[ńn]czone|gotowe|виконано|зроблено|tamamland[ıi]|yap[ıi]ld[ıi]|selesai"
)
STATUS_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\(\s*(?:in[ -]progress|wip|ongoing|started)\s*\)", re.I), "in_progress"),
    (
        re.compile(
            r"\(\s*(?:done|completed?|finished|fixed|resolved)(?:\s+(?:on\s+)?[\d./-]+)?\s*\)",
            re.I,
        ),
        "done",
    ),
    (re.compile(r"\(\s*(?:fixed|resolved|done|closed) (?:by|in|with) [^)]*\)", re.I), "done"),
    (re.compile(r"\(\s*(?:todo|to do|planned|open|not started)\s*\)", re.I), "open"),
    (re.compile(r"^\s*(?:\[?(?:DONE|FIXED)\]?:?|✅|✔️?)\s+"), "done"),
    (re.compile(r"^\s*\[?(?:TODO|TO DO)\]?:?\s+"), "open"),
    (re.compile(r"\s+[-–—]?\s*(?:\[?(?:DONE|FIXED)\]?|✅|✔️?)\.?\s*$"), "done"),
    (re.compile(r"\s+[-–—]?\s*\[?(?:TODO|WIP)\]?\.?\s*$"), "open"),
    # "… -- Done ✅", "… – in progress": a status word after a dash, ending the item
    (
        re.compile(
            r"\s+(?:-{1,2}|[–—])\s*(?:done|completed?|finished|fixed|closed)\b\W{0,4}$", re.I
        ),
        "done",
    ),
    (
        re.compile(r"\s+(?:-{1,2}|[–—])\s*(?:in[ -]progress|ongoing|wip|started)\b\W{0,4}$", re.I),
        "in_progress",
    ),
    (re.compile(r"[_*]+(?:done|completed)\b[^_*]*[_*]+\.?\s*$", re.I), "done"),
    (re.compile(rf"\s*【\s*(?:{DONE_WORDS}|実施済み?|対応済|済)\s*】"), "done"),
    # "– erledigt", "(完了)", "— выполнено": done in the other languages, ending the item
    (re.compile(rf"\s*(?:[-–—:]\s*|\(\s*)(?:{DONE_WORDS})\s*\)?\.?\s*$", re.I), "done"),
)
# Words one of the STATUS_MARKERS needs. For ASCII text (where case-insensitive matching is
# plain lower-casing) their absence proves that no marker matches, which skips eight searches.
_STATUS_WORDS_RE = re.compile(
    r"progress|wip|ongoing|started|done|complet|finished|fixed|resolved|todo|to do|planned|open"
    r"|erledigt|abgeschlossen|umgesetzt|hecho|terminado|feito|conclu|termin|fait|fatto|klaar"
    r"|gereed|afgerond|zrobione|wykonane|zakonczone|gotowe|tamamland|yapild|selesai"
)
_STATUS_UPPER_RE = re.compile(r"DONE|FIXED|TODO|TO DO|WIP")
_DONE_WORDS_RE = re.compile(r"done|complet")
_OWNER_WORDS_RE = re.compile(
    r"owner|assign|responsible|verantwortlich|zust|responsa|eigenaar|verantwoordelijk"
    r"|odpowiedzialn|sorumlu|pic|penanggung"
)
_PRIORITY_WORDS_RE = re.compile(r"priority|p[0-3]")
_DUE_WORDS_RE = re.compile(
    r"due|deadline|target|eta|by|bis|hasta|ate|jusqu|avant|entro|voor|prazo|frist|scadenza|limite"
    r"|completion|fecha|data|termin|tarih|tenggat|batas|ch|vervaldatum|uiterlijk"
)


def _may_have_status(text: str) -> bool:
    if not text.isascii() or _STATUS_UPPER_RE.search(text):
        return True
    if ("(" in text or "-" in text) and _STATUS_WORDS_RE.search(text.lower()):
        return True
    return ("_" in text or "*" in text) and _DONE_WORDS_RE.search(text.lower()) is not None


def _may_have_owner(text: str) -> bool:
    if "@" in text or not text.isascii() or "—" in text or "–" in text or ", " in text:
        return True
    return _OWNER_WORDS_RE.search(text.lower()) is not None


def _may_have_priority(text: str) -> bool:
    return not text.isascii() or "[#" in text or _PRIORITY_WORDS_RE.search(text.lower()) is not None


# "owner" in the twelve languages (a cell or a parenthesis: "(Verantwortlich: Jonas, bis …)")
OWNER_WORDS = (
    r"owners?|assignee|assigned to|responsible|verantwortlich|zust[äa]ndig|responsable"
    r"|respons[áa]vel|responsabile|eigenaar|verantwoordelijke|担当者?|负责人|負責人|담당자?"
    r"|ответственн\w*|ph[ụu] tr[áa]ch|người phụ trách"
)
OWNER_RE = re.compile(
    rf"[(（]\s*(?:{OWNER_WORDS})\s*[:=：-]?\s*(?P<a>[^),;）、，；]+?)\s*"
    r"(?:[,;、，；]\s*(?P<more_a>[^)）]*))?[)）]"
    r"|\b(?:owner|assignee|assigned to|responsible|odpowiedzialn[ya]|respons[aá]vel|responsable"
    r"|verantwortlich|відповідальн\w*|ответственн\w*|sorumlu|pic|penanggung jawab"
    r"|(?:người )?ph[ụu] tr[áa]ch|responsabile|eigenaar)"
    r"\s*[:=]\s*(?P<b>@?[\w@+-]+(?:\.[\w@+-]+)*(?-i:(?:\s+[A-ZÀ-ÞА-ЯЁІЇЄ][\w-]+)?))"
    # "— @marta — by Nov 20", "— Дмитрий Кузнецов, DLV-1180": a handle or a full name after a dash
    r"|\s[—–-]\s*(?P<c>@[\w-]+(?:\.[\w-]+)*)\s*(?=$|\s[—–-]\s|[,;(])"
    r"|\s[—–]\s*(?P<f>(?-i:[A-ZÀ-ÞА-ЯЁІЇЄ][\w-]+\s+[A-ZÀ-ÞА-ЯЁІЇЄ][\w-]+))\s*(?=$|[,;(]|\s[—–]\s)"
    # a handle in parentheses ("(@alice)") or leading the item ("@bob: document …")
    r"|\(\s*(?P<d>@[\w.-]+)\s*(?:[,;]\s*(?P<more>[^)]*))?\)|^\s*(?P<e>@[\w.-]+)\s*:\s*"
    # "(Ana, this week)", "(Jonas Becker, by 2026-11-13)": a name, then when
    r"|\(\s*(?P<g>(?-i:[A-Z][a-z]+(?: [A-Z][a-z]+)?))\s*[,;]\s*(?P<more_g>(?:this|next|by|before"
    r"|end|due|until|in|within|Q[1-4]|\d)[^)]*)\)",
    re.IGNORECASE,
)
SELF_WORDS = frozenset(
    {"me", "i", "us", "we", "myself", "ourselves", "yo", "eu", "moi", "ich", "io"}
)
PRIORITY_RE = re.compile(
    r"\bP(?P<p>[0-3])\b|\bpriority\s*[:=]?\s*(?P<w>critical|urgent|highest|high|medium|normal|low)"
    r"|\[#(?P<org>[A-C])\]",  # an Org-mode priority cookie: [#A] is the highest
    re.IGNORECASE,
)
ORG_PRIORITIES: dict[str, Priority] = {"a": "P1", "b": "P2", "c": "P3"}
# A priority column's words in the languages the importer reads ("Alta", "Moyenne", "低").
_PRIORITY_CELL_VOCABULARY: tuple[tuple[Priority, str], ...] = (
    ("P0", "critical critique crítica critica crítico kritisch kritiek критический критичний"
     " krytyczny kritik kritis 緊急 紧急 긴급 blocker bloccante"),
    ("P1", "high alta alto haute élevée hoch hoog высокий високий wysoki yüksek tinggi 高 높음 cao"),
    ("P2", "medium media medio média médio moyenne mittel middel normaal normal средний середній"
     " średni orta sedang 中 보통 중간"),
    ("P3", "low bassa basso baja bajo baixa baixo basse faible niedrig laag низкий низький niski"
     " düşük rendah 低 낮음 thấp"),
)  # fmt: skip
PRIORITY_CELL_WORDS: dict[str, Priority] = {
    word: priority for priority, words in _PRIORITY_CELL_VOCABULARY for word in words.split()
}


def priority_word(cell: str) -> Priority | None:
    """'Alta', 'Moyenne', '低', 'trung bình': a priority cell's word, in any of the languages."""
    word = re.sub(r"[^\w\s]", " ", cell).strip().lower()
    if word in ("trung bình", "trung binh"):
        return "P2"
    return PRIORITY_CELL_WORDS.get(word.split()[0]) if word else None


PRIORITY_WORDS: dict[str, Priority] = {
    "critical": "P0", "urgent": "P0", "highest": "P0", "high": "P1",
    "medium": "P2", "normal": "P2", "low": "P3",
}  # fmt: skip
DUE_CUE_RE = re.compile(
    r"\b(?:due(?:\s+date)?|deadline|target(?:\s+date)?|eta|by|bis|hasta|at[ée]|jusqu['’]?au"
    r"|(?:estimated |expected |planned |target )?completion(?:\s+date)?|fecha|data|termin"
    r"|avant le|entro(?: il)?|voor|prazo|frist|scadenza|date limite|fecha l[íi]mite|до|hạn"
    r"|термін|срок|tarih|tenggat|batas waktu|[ée]ch[ée]ance|vervaldatum|uiterlijk)(?!\w)"
    r"\s*[:=]?\s*|(?:期限|截止(?:日期)?|마감)\s*[:：]?\s*",
    re.I,
)
_DUE_ASIDE_RE = re.compile(
    r"\s*[(（]\s*(?:期限|截止|마감|due|deadline|target|eta|frist|prazo|scadenza|срок|hạn)"
    r"[^()（）]*[)）]$",
    re.IGNORECASE,
)
# A month or quarter and its year right after a due cue, up to the end of the aside.
_PERIOD_AFTER_RE = re.compile(
    r"(?:end of |the end of |late |early |mid[- ])?(?:[A-Za-z]{3,9}\.?|Q[1-4]|H[12])\s+\d{4}(?=\W|$)"
)
DUE_AFTER_RE = re.compile(r"\s*(?:까지|までに|まで|之前|以前|为止|前)")
_ESCAPE_RE = re.compile(r"\\([*_`\[\]#])")
_STRONG_CODE_RE = re.compile(r"(\*\*|__|`)")
_EMPHASIS_RE = re.compile(r"(?<![\w*])[*_](?=\S)([^*_]+?)(?<=\S)[*_](?![\w*])")
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*[,;:]?\s*\)|\[\s*\]")
_EMPTY_PARENS_RE = re.compile(r"\(\s*\)|\[\s*\]")
_SPACE_PUNCT_RE = re.compile(r"\s+([,.;:!?])")
_SPACES_RE = re.compile(r"\s+")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“'])")
_TRAILING_REF_RE = re.compile(r"\s*\((?:[\w.-]*#\d+|[A-Z][A-Z0-9]+-\d+)\)\s*$")
# A closing aside to the reader: "…, if you are interested DM me!".
_READER_TAIL_RE = re.compile(r",\s+if you(?:'re| are| want| would like| have)\b[^,;]*$", re.I)
_TRAILING_KEY_RE = re.compile(r"\s+[-–—(]?\s*[A-Z][A-Z0-9]{1,9}-\d+\)?\s*$")
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
    refs: list[str] = []
    if "github.com/" in text:
        refs += [f"{m['owner']}/{m['repo']}#{m['num']}" for m in GITHUB_REF_RE.finditer(text)]
    if "://" in text:
        if "gitlab." in text:
            refs += [
                f"{m['path']}{'#' if m['what'] == 'issues' else '!'}{m['num']}"
                for m in GITLAB_REF_RE.finditer(text)
            ]
        if "/browse/" in text:
            refs += [m["key"] for m in JIRA_URL_RE.finditer(text)]
        if "show_bug.cgi" in text:
            refs += [m.group(0) for m in BUGZILLA_RE.finditer(text)]
    if "#" in text or "!" in text:  # "PR #1184", "MR !23", "tallyhq/ledger-export#212"
        refs += [m["ref"] or m["ref2"] for m in HASH_REF_RE.finditer(text)]
    if "-" not in text:  # a Jira-like key is written KEY-123
        return list(dict.fromkeys(refs))
    without_urls = URL_RE.sub(" ", text) if "://" in text else text
    refs += [m["key"] for m in JIRA_KEY_RE.finditer(without_urls) if not NOT_JIRA.match(m["key"])]
    return list(dict.fromkeys(refs))


def _replace_link(m: re.Match[str]) -> str:
    label = m[1].strip()
    if not label or REF_TEXT_RE.match(label) and len(label.split()) <= 6:
        return ""
    return label


def strip_markup(text: str) -> str:
    """Markdown inline markup -> plain words; links keep their text unless it is just a ref."""
    if "[" in text:
        text = IMAGE_RE.sub("", text)
        text = LINK_RE.sub(_replace_link, text)
    if "<" in text:
        text = AUTOLINK_RE.sub("", text)
    if "://" in text:
        text = URL_RE.sub("", text)
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    if "~~" in text:
        text = text.replace("~~", "")
    if "*" in text or "_" in text or "`" in text:
        text = _STRONG_CODE_RE.sub("", text)
        text = _EMPHASIS_RE.sub(r"\1", text)
    if "(" in text or "[" in text:
        text = _EMPTY_BRACKETS_RE.sub("", text)
    text = _SPACE_PUNCT_RE.sub(r"\1", text)
    return " ".join(text.split())  # `\s` and str.split() agree on what whitespace is


def first_sentence(text: str) -> str:
    """The first sentence, not fooled by 'e.g.' or 'ex.'; long items keep their first clause."""
    if "." not in text and "!" not in text and "?" not in text:
        return text.strip()
    protected = text
    for abbr in ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", "\x00"))
    parts = _SENTENCE_SPLIT_RE.split(protected, maxsplit=1)
    return parts[0].replace("\x00", ".").strip()


def _take_status(text: str) -> tuple[str, str | None]:
    status = None
    if not _may_have_status(text):
        return text.strip(), status
    for pattern, value in STATUS_MARKERS:
        if pattern.search(text):
            status = status or value
            text = pattern.sub(" ", text)
    return text.strip(), status


def _take_owner(text: str) -> tuple[str, str | None]:
    if not _may_have_owner(text):
        return text, None
    m = OWNER_RE.search(text)
    if m is None:
        return text, None
    owner = (m["a"] or m["b"] or m["c"] or m["d"] or m["e"] or m["f"] or m["g"] or "").strip()
    if owner.lower() in SELF_WORDS:
        owner = ""  # "Owner: me" names the author, whom the document does not name here
    more = m["more"] or m["more_a"] or m["more_g"]
    kept = f" ({more}) " if more else " "  # "(@ana, due 2025-05-01)": the due stays
    rest = (text[: m.start()] + kept + text[m.end() :]).strip()
    if m["e"]:
        rest = rest[:1].upper() + rest[1:]
    return rest, owner or None


def _take_priority(text: str) -> tuple[str, Priority | None]:
    if not _may_have_priority(text):
        return text, None
    m = PRIORITY_RE.search(text)
    if m is None:
        return text, None
    if m["org"]:
        value: Priority = ORG_PRIORITIES[m["org"].lower()]
    else:
        value = PRIORITY_WORDS[m["w"].lower()] if m["w"] else f"P{m['p']}"  # type: ignore[assignment]
    cleaned = _EMPTY_PARENS_RE.sub("", text[: m.start()] + text[m.end() :])
    return cleaned.strip(), value


def _take_due(text: str, ctx: DateContext) -> tuple[str, date | None]:
    if text.isascii() and _DUE_WORDS_RE.search(text.lower()) is None:
        return text, None
    for cue in DUE_CUE_RE.finditer(text):
        after = text[cue.end() : cue.end() + 40]
        dates = [d for d in find_dates(after, ctx) if d.start <= 1]
        if dates and (dates[0].has_year or ctx.default_date is not None):
            # "by Nov 20" in a document about November 10th: the next such day
            return _cut(text, cue.start(), cue.end() + dates[0].end), after_incident(
                dates[0].value, dates[0].has_year, ctx
            )
        # "(Estimated completion: January 2027)", "target: Q1 2027": a named period's last day
        period = _PERIOD_AFTER_RE.match(after)
        end = period_end(period[0], ctx) if period is not None else None
        if period is not None and end is not None:
            return _cut(text, cue.start(), cue.end() + period.end()), end
        # "bis Ende Januar", "até o fim de janeiro": a month in any language, year from the incident
        month = MONTH_PERIOD_RE.match(after) or QUARTER_PERIOD_RE.match(after)
        end = month_period_end(after, ctx) if month is not None else None
        if month is not None and end is not None:
            return _cut(text, cue.start(), cue.end() + month.end()), end
    for cue in DUE_AFTER_RE.finditer(text):  # "7월 31일까지", "4月30日までに": the cue follows
        lo = max(0, cue.start() - 30)
        before = find_dates(text[lo : cue.start()], ctx)
        if before and lo + before[-1].end >= cue.start() - 1:
            return _cut(text, lo + before[-1].start, cue.end()), before[-1].value
    return text, None


def _cut(text: str, start: int, end: int) -> str:
    """`text` without `text[start:end]`, and without the parentheses round it if it fills them."""
    if start > 0 and text[start - 1] in "(（" and text[end : end + 1] in (")", "）"):
        start, end = start - 1, end + 1
    return (text[:start] + text[end:]).strip()


def priority_in(raw: str) -> Priority | None:
    """The priority `read_item` would find in `raw`, without reading the rest of the item."""
    text, _ = _take_status(raw.replace("\n", " "))
    text, _ = _take_owner(text)
    return _take_priority(text)[1]


# "Runtime team — enable X — 2026-07-29": owner, action and due date between dashes.
DASHED_RE = re.compile(
    r"^(?P<owner>[^—–]{2,40}?)\s+[—–]\s+(?P<action>.+?)(?:\s+[—–]\s+(?P<due>[^—–]{4,40}))?\s*$"
)
OWNERISH_RE = re.compile(
    r"^(?:@[\w.-]+|[\w.+-]+@[\w.-]+|(?:the\s+)?[\w&/ -]{1,30}\s(?:team|squad|group|crew|ops|sre)"
    r"|(?:team|équipe|equipo|equipe)\s[\w -]{1,30})$",
    re.IGNORECASE,
)


def _take_dashed(text: str, ctx: DateContext) -> tuple[str, str | None, date | None]:
    """Split 'owner — action — date' when the first part names a team or handle."""
    if "—" not in text and "–" not in text:
        return text, None, None
    m = DASHED_RE.match(text)
    if m is None:
        return text, None, None
    owner = strip_markup(m["owner"]).strip()
    due_text = m["due"] or ""
    dates = [d for d in find_dates(due_text, ctx) if d.has_year] if due_text else []
    due = dates[0].value if dates and dates[0].start <= 1 else None
    if not OWNERISH_RE.match(owner) or len(owner.split()) > 4:
        return text, None, None
    action = m["action"] if due is not None or not due_text else f"{m['action']} — {due_text}"
    return action, owner, due


# "Our checks were routed to other hosts. We've updated them to hit every host.": the item
# first tells what was wrong, then what was done or will be done about it.
_WHAT_HAPPENED_RE = re.compile(r"\b(?:was|were|had been|did not|didn't|wasn't|weren't)\b")
_WE_ACT_RE = re.compile(
    r"(?:We|I)(?:'ve|’ve| have| had| will|'ll|’ll| are going to)(?: also| now)? \w+"
)


def _reported_action(plain: str) -> str | None:
    """The sentence that reports an action, when the item opens by telling what happened."""
    first = first_sentence(plain)
    if (
        first == plain
        or not _WHAT_HAPPENED_RE.search(first)
        or re.match(r"(?:We|I|Our team)\b", first)
    ):
        return None
    rest = plain[len(first) :].strip()
    while rest:
        sentence = first_sentence(rest)
        if not sentence:
            return None
        if _WE_ACT_RE.match(sentence):
            return sentence
        rest = rest[len(sentence) :].strip()
    return None


# "[OPS-123] Alert on …", "OPS-123: Alert on …": the reference is kept in `refs`, not the title.
_LEADING_REF_RE = re.compile(
    r"^\s*(?:\[\s*[A-Z][A-Z0-9]{1,9}-\d+\s*\]|[A-Z][A-Z0-9]{1,9}-\d+\s*:)\s*"
)
# "**Add a canary stage** — deploys go to 5% first": an instruction in bold, then its detail.
_BOLD_LEAD_RE = re.compile(
    r"^\s*(?:\*\*|__)(?P<lead>[^*_]{3,120}?)(?:\*\*|__)\s*[—–]\s*(?P<rest>\S.*)$"
)


def _bold_lead(text: str) -> tuple[str, str] | None:
    m = _BOLD_LEAD_RE.match(text)
    if m is None or not ACTION_VERB_RE.match(m["lead"].strip()):
        return None
    return m["lead"].strip(), m["rest"].strip()


def read_item(raw: str, ctx: DateContext) -> InlineFacts:
    """Title, description, refs, status, owner, priority and due date of one item's text."""
    refs = refs_in(raw)
    first, gap, later = raw.partition("\n\n")  # an item's later paragraphs only explain it
    text = first.replace("\n", " ")
    if text[:1] == "[" or text[:1].isupper():
        text = _LEADING_REF_RE.sub("", text, count=1)
    lead = _bold_lead(text) if text.lstrip()[:1] in "*_" else None
    if lead is not None:
        text = f"{lead[0]}. {lead[1][:1].upper()}{lead[1][1:]}"
    text, status = _take_status(text)
    text, dashed_owner, dashed_due = _take_dashed(text, ctx)
    text, owner = _take_owner(text)
    owner = owner or dashed_owner
    text, priority = _take_priority(text)
    text, due = _take_due(text, ctx)
    due = due or dashed_due
    plain = strip_markup(text)
    last = plain.rstrip()[-1:]
    if last == ")" or last.isdigit():  # both trailing references end in a digit or ')'
        plain = _TRAILING_REF_RE.sub("", plain)
        plain = _TRAILING_KEY_RE.sub("", plain)
    plain, late_status = _take_status(plain)
    title = _reported_action(plain) or first_sentence(plain)
    title = _READER_TAIL_RE.sub("", title)
    title = title.rstrip(" .;,:-–—。．；，：、").strip()
    if title.endswith((")", "）")):  # a due date the reader could not place stays out of the title
        title = _DUE_ASIDE_RE.sub("", title)
    if not title and refs:  # an item that is only an issue link is named by its reference
        title = refs[0]
    description = plain if plain.rstrip(". 。") != title else ""
    if gap:
        description = f"{description or plain}\n{strip_markup(later.replace(chr(10), ' '))}".strip()
    return InlineFacts(title, description, refs, status or late_status, owner, priority, due)
