"""Dates, times and time zones as post-mortems write them.

Authors mix `02/08/2023, 8:30 AM (UTC-5)`, `7th September, 2022`, `Feb 18 20:00`, ISO 8601 and
zone words such as `PST`, `GST` or `Eastern`. Everything here is regex based (rather than
dateutil's fuzzy mode) so that a stray number in prose never becomes a timestamp, and so that
ambiguous day/month orders are noticed and reported instead of silently guessed.

Over 500 lines because the date, time, duration and zone vocabularies of some twenty languages
live here, in one place, beside the one matcher that uses them; zones named by place
("Istanbul time", "hora de Brasília") are resolved through zoneinfo in `zones`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from tracker.postmortem.model import DateOrder, ParseWarning
from tracker.postmortem.zones import IANA_PATTERN, PLACE_ZONE_PATTERN, civil_zone, place_zone

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# Abbreviations are taken literally (PST is -08:00 even in summer), as a reader would.
ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5,
    "EST": -5, "EDT": -4, "AKST": -9, "AKDT": -8, "HST": -10,
    "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "MEZ": 1, "MESZ": 2, "OEZ": 2, "OESZ": 3, "WIB": 7, "ICT": 7, "GST": 4, "IST": 5.5, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "BRT": -3, "ART": -3, "CLT": -4, "COT": -5, "PET": -5, "AWST": 8, "PHT": 8, "EAT": 3,
    "SAST": 2, "WAT": 1, "CAT": 2, "NPT": 5.75, "PKT": 5, "WITA": 8, "WIT": 9, "TRT": 3,
    # Canadian French: heure normale / avancée de l'Est, du Centre, des Rocheuses, du Pacifique
    "HNE": -5, "HAE": -4, "HNC": -6, "HAC": -5, "HNR": -7, "HAR": -6, "HNP": -8, "HAP": -7,
    "HNA": -4, "HAA": -3, "TSİ": 3, "TSI": 3, "SEČ": 1, "SELČ": 2,
}  # fmt: skip

# Region words follow the civil offset of the day in question.
REGIONS: dict[str, str] = {
    "ET": "America/New_York", "EASTERN": "America/New_York", "ETC": "America/New_York",
    "PT": "America/Los_Angeles", "PACIFIC": "America/Los_Angeles",
    "CT": "America/Chicago", "CENTRAL": "America/Chicago",
    "MT": "America/Denver", "MOUNTAIN": "America/Denver",
}  # fmt: skip

_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"

# Month names in the other languages the importer reads (Russian in the genitive, as dates
# write them); written day first: "14 de septiembre de 2026", "14. September 2026", "14 мая".
FOREIGN_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "enero janeiro janvier januar jänner gennaio januari января stycznia січня ocak"
            " ledna ianuarie tammikuuta gener",
            "febrero fevereiro février fevrier februar febbraio februari февраля lutego лютого"
            " şubat února februarie helmikuuta febrer",
            "marzo março marco mars märz maerz maart марта marca березня maret mart března"
            " martie maaliskuuta març",
            "abril avril april aprile апреля kwietnia квітня nisan dubna aprilie huhtikuuta",
            "mayo maio mai maggio mei мая maja травня maj mayıs května toukokuuta maig",
            "junio junho juin juni giugno июня czerwca червня haziran června iunie kesäkuuta juny",
            "julio julho juillet juli luglio июля lipca липня temmuz července iulie heinäkuuta"
            " juliol",
            "agosto août aout august augustus августа sierpnia серпня agustus augusti ağustos"
            " srpna elokuuta agost",
            "septiembre setiembre setembro septembre september settembre сентября września"
            " вересня eylül září septembrie syyskuuta setembre",
            "octubre outubro octobre oktober ottobre october октября października жовтня ekim"
            " října octombrie lokakuuta",
            "noviembre novembro novembre november ноября listopada листопада kasım listopadu"
            " noiembrie marraskuuta",
            "diciembre dezembro décembre decembre dezember dicembre december декабря grudnia"
            " грудня desember aralık prosince decembrie joulukuuta desembre",
        ),
        start=1,
    )
    for name in names.split()
}
_FOREIGN_MONTH = "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))

DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "iso",
        # also dotted, as Korean, Chinese and Hungarian write it: "2027.03.12", "2027. 3. 12."
        re.compile(
            r"\b(?<!\d\.)(?P<y>(?:19|20)\d{2}|\d{4}(?=[-/]))(?P<sep>[-/]|\.\s?)(?P<m>\d{1,2})(?P=sep)"
            r"(?P<d>\d{1,2})(?![\d/]|\.\d)\.?"
        ),
    ),
    # Chinese, Japanese and Korean: 2026年9月14日, 2026년 9월 14일; 9月14日 takes the year known.
    (
        "cjk",
        re.compile(
            r"(?<!\d)(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일号]?"
            r"|(?<![\d年년])(?P<m2>\d{1,2})\s*[月월]\s*(?P<d2>\d{1,2})\s*[日일号]"
        ),
    ),
    (
        "num",
        re.compile(
            r"(?<![\d./-])(?P<a>\d{1,2})([/.-])(?P<b>\d{1,2})\2(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b{_WEEKDAY}(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?\s+(?P<mon>{_MONTH_WORD})"
            r"(?:,?\s+(?P<y>\d{4}))?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b{_WEEKDAY}(?P<mon>{_MONTH_WORD})\s+(?P<d>\d{{1,2}}){_ORD}(?!\d|:)"
            r"(?:,?\s+(?:(?P<y>\d{4})\b|['’](?P<y2>\d{2})\b))?",
            re.IGNORECASE,
        ),
    ),
    ("md", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/])")),
    (
        "foreign",
        re.compile(
            rf"(?<![\d.])(?P<d>\d{{1,2}})(?:\.|er|º|°)?\s+(?:de\s+)?(?P<fmon>{_FOREIGN_MONTH})(?!\w)"
            r"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{4})\b(?:\s*(?:г\.|года?|року|р\.|r\.))?)?",
            re.IGNORECASE,
        ),
    ),
    # Vietnamese: "ngày 14 tháng 9 năm 2026", "14 tháng 9, 2026".
    (
        "vi",
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})\s+th[áa]ng\s+(?P<m>\d{1,2})(?:\s*(?:n[ăa]m|,)\s*(?P<y>\d{4}))?",
            re.IGNORECASE,
        ),
    ),
)

_CLOCK_ZONE_ALT = "|".join(sorted((a for a in ABBREVIATIONS if len(a) > 2), key=len, reverse=True))
TIME_RE = re.compile(
    r"(?<![\d:.-])(?P<h>\d{1,2})(?::(?P<mi>\d{2}))(?::(?P<s>\d{2}))?(?:\.\d+)?"
    r"\s?(?P<ap>[ap]\.?m(?:\.|\b))?"
    r"|(?<![\d:.-])(?P<h2>\d{1,2})\s?(?P<ap2>[ap]\.?m\.?)(?![a-z])"
    # 10時05分, 10时05分, 10点05分, 10시 05분
    r"|(?P<ap3>午前|午後|上午|下午|晚上|凌晨|오전|오후)?\s?(?<![\d:.-])(?P<h3>\d{1,2})\s?(?:[時时시]\s?(?:(?P<mi3>\d{1,2})\s?[分분])?"
    r"|[点點]\s?(?P<mi4>\d{1,2})\s?分)"
    # an approximate military time, "(~1415)" or "~0930"
    r"|(?<![\d~])~(?P<h5>[01]\d|2[0-3])(?P<mi5>[0-5]\d)(?!\d)"
    # French and Portuguese: "08h02", "14h30"
    # French and Portuguese: "08h02", "14h30"; Canadian French spaces it: "8 h 47"
    r"|(?<![\d:.,-])(?P<h6>[01]?\d|2[0-3])(?:h|\sh\s)(?P<mi6>[0-5]\d)(?![\d:])",
    re.IGNORECASE,
)
# Rarer clocks, tried only on text that can hold them (see find_times).
CLOCK_EXTRA_RE = re.compile(
    # "上午 10:20", "下午 1:35", "오후 3:05": the half of the day written before the clock
    r"(?P<ap7>午前|午後|上午|下午|晚上|凌晨|오전|오후)\s?(?P<h7>\d{1,2}):(?P<mi7>\d{2})(?!\d)"
    # a dotted clock ("21.15 WIB", "14.30 Uhr", a timeline's "00.10 — ..."): only where a zone,
    # a clock word or a dash follows, so that version numbers and decimals stay numbers
    r"|(?<![\d:.,-])(?P<h8>[01]?\d|2[0-3])\.(?P<mi8>[0-5]\d)"
    rf"(?=\s?(?-i:{_CLOCK_ZONE_ALT})\b"
    r"|\s?(?:Uhr|godz|hrs)\b|\s[-–—]\s)"
    # a whole hour in German: "um 14 Uhr"
    r"|(?<![\d:.,-])(?P<h9>[01]?\d|2[0-3])\sUhr\b",
    re.IGNORECASE,
)
_EXTRA_HINT_RE = re.compile(r"\d\.[0-5]\d(?!\d)|\d Uhr")
_ABBR_ALT = "|".join(sorted((a for a in ABBREVIATIONS if a != "Z"), key=len, reverse=True))
_REGION_ALT = "|".join(sorted(REGIONS, key=len, reverse=True))
# Zones named in words ("北京时间", "日本時間", "по Москве", "Central European Time"): a number
# is taken literally, as an abbreviation is; a zone key follows the day's civil offset.
LOCAL_ZONES: dict[str, float | str] = {
    "北京时间": 8, "北京時間": 8, "日本時間": 9, "日本时间": 9, "한국 시간": 9, "한국시간": 9,
    "giờ việt nam": 7, "giờ hà nội": 7, "мск": 3, "по москве": 3, "по московскому времени": 3,
    "moscow time": 3, "за києвом": "Europe/Kyiv", "по киеву": "Europe/Kyiv",
    "central european summer time": 2, "central european time": 1,
    "eastern european summer time": 3, "eastern european time": 2,
    "western european summer time": 1, "western european time": 0, "british summer time": 1,
    "pacific standard time": -8, "pacific daylight time": -7,
    "mountain standard time": -7, "mountain daylight time": -6,
    "central standard time": -6, "central daylight time": -5,
    "eastern standard time": -5, "eastern daylight time": -4,
    "indian standard time": 5.5, "japan standard time": 9, "korea standard time": 9,
    "china standard time": 8, "singapore standard time": 8,
    "australian eastern standard time": 10, "australian eastern daylight time": 11,
    "waktu indonesia barat": 7, "waktu indonesia tengah": 8, "waktu indonesia timur": 9,
    "türkiye saati": 3, "mitteleuropäische sommerzeit": 2, "mitteleuropäische zeit": 1,
    "heure normale de l'est": -5, "heure avancée de l'est": -4,
}  # fmt: skip
_LOCAL_ZONE_ALT = "|".join(
    re.escape(z).replace("'", "['’]").replace(r"\ ", r"\s+")
    for z in sorted(LOCAL_ZONES, key=len, reverse=True)
)

ZONE_RE = re.compile(
    rf"(?P<local>{_LOCAL_ZONE_ALT})|"
    r"(?P<off>(?:UTC|GMT)\s?(?P<sign>[+\-−＋－])\s?(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)"
    r"|(?P<iso>[+\-](?P<ih>\d{2}):?(?P<im>\d{2})(?!\d))"
    rf"|\b(?P<abbr>{_ABBR_ALT}|Z)\b"
    rf"|{IANA_PATTERN}"
    rf"|\b(?P<region>{_REGION_ALT})\b",
    re.IGNORECASE,
)
# Zones named by place ("Istanbul time", "hora de Brasília"), tried only where a word for
# "time" occurs, since the place itself can be any capitalised word.
PLACE_ZONE_RE = re.compile(PLACE_ZONE_PATTERN, re.IGNORECASE)
_PLACE_HINTS = (
    "time", "hora", "horá", "heure", "ora ", "zeit", "tijd", "времени", "часом", "時間", "时间",
)  # fmt: skip


def _may_name_place(text: str) -> bool:
    low = text.lower()
    return any(hint in low for hint in _PLACE_HINTS)


@dataclass(slots=True)
class DateContext:
    """What a reader carries along: the configured order, defaults, and collected warnings."""

    date_order: DateOrder = "MDY"
    # True when the document's own unambiguous dates chose date_order (warned once already).
    order_from_document: bool = False
    default_year: int | None = None
    default_date: date | None = None
    default_tz: tzinfo | None = None
    # Whether dates written the other languages' way (14 de septiembre, 2026年9月14日) can
    # occur; the parser clears it for documents that have none, so English lines skip them.
    local_dates: bool = True
    warnings: list[ParseWarning] = field(default_factory=list)
    _warned: set[str] = field(default_factory=set)

    def warn_ambiguous(self, raw: str, reading: date) -> None:
        """Record one warning per ambiguous text, so a timeline does not repeat it."""
        if raw in self._warned or self.order_from_document:
            return
        self._warned.add(raw)
        self.warnings.append(
            ParseWarning(
                "ambiguous_date",
                f"'{raw}' is ambiguous; read as {reading.isoformat()} "
                f"(date order {self.date_order})",
            )
        )


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A calendar date found in text, with its span."""

    value: date
    start: int
    end: int
    has_year: bool = True


@dataclass(frozen=True, slots=True)
class FoundTime:
    """A clock time found in text, with its span."""

    value: time
    start: int
    end: int


def _year(raw: str | None, ctx: DateContext) -> int | None:
    if raw is None:
        return ctx.default_year
    year = int(raw)
    return year + 2000 if year < 100 else year


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_date(a: int, b: int, year: int | None, raw: str, ctx: DateContext) -> date | None:
    """Read a/b as month/day or day/month; both <= 12 uses the configured order and warns."""
    if a > 12 and b <= 12:
        return _safe_date(year, b, a)
    if b > 12 and a <= 12:
        return _safe_date(year, a, b)
    if a > 12 or b > 12:
        return None
    month, day = (a, b) if ctx.date_order == "MDY" else (b, a)
    value = _safe_date(year, month, day)
    if value is not None and a != b:
        ctx.warn_ambiguous(raw, value)
    return value


@dataclass(frozen=True, slots=True)
class OrderEvidence:
    """What a document's own dates say about how it orders day and month."""

    order: DateOrder | None  # None when the document does not tell (or contradicts itself)
    example: str = ""  # the date that told, for the warning
    ambiguous: bool = False  # whether any date (like 11-01-2026) needs an order at all


_PATTERN_BY_KIND = dict(DATE_PATTERNS)
_NUM_RE = _PATTERN_BY_KIND["num"]
_DMY_WORD_RE = _PATTERN_BY_KIND["dmy"]
_MDY_WORD_RE = _PATTERN_BY_KIND["mdy"]


def date_order_evidence(text: str) -> OrderEvidence:
    """Decide day-first or month-first from the document's unambiguous dates.

    Strong evidence is a numeric date that can only be read one way ("25/12/2026" is
    day-first, "12/25/2026" month-first) or a dotted date ("11.01.2026", day-first wherever it
    is written). Weaker evidence is the order of a written month ("8 January 2026" against
    "January 8, 2026"). Contradicting evidence of the same strength decides nothing.
    """
    strong: dict[str, str] = {}
    weak: dict[str, str] = {}
    ambiguous = False
    for m in _NUM_RE.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        sep = m.group(2)
        if a > 12 >= b:
            strong.setdefault("DMY", m.group(0))
        elif b > 12 >= a:
            strong.setdefault("MDY", m.group(0))
        elif a != b:
            ambiguous = True
            if sep == "." and len(m["y"]) == 4:
                strong.setdefault("DMY", m.group(0))
    if not ambiguous:
        return OrderEvidence(None)
    if _may_name_month(text):
        for m in _DMY_WORD_RE.finditer(text):
            if m["y"]:
                weak.setdefault("DMY", m.group(0))
        for m in _MDY_WORD_RE.finditer(text):
            if m["y"]:
                weak.setdefault("MDY", m.group(0))
    for found in (strong, weak):
        if len(found) == 1:
            order, example = next(iter(found.items()))
            return OrderEvidence(order, example, ambiguous)  # type: ignore[arg-type]
        if len(found) == 2:
            break
    else:
        word = _day_first_language_word(text)
        if word is not None:
            return OrderEvidence("DMY", word, ambiguous)
    return OrderEvidence(None, "", ambiguous)


# Common words of languages whose countries write the day first (everyone but the US writes
# 05/01 for 5 January); the weakest evidence, used only when the dates themselves do not tell.
_DAY_FIRST_WORDS_RE = re.compile(
    r"(?<!\w)(?:não|uma|foi|para o|el|los|las|del|fue|una|il|della|che|sono|è stato|le|les|des"
    r"|une|est|été|der|die|das|und|nicht|wurde|het|een|niet|werd|się|nie|został[ao]?|jest"
    r"|yang|dan|tidak|dari|ve|bir|için|và|của|được|không|и|не|на|що|это|був|была"
    r"|de|la|en|di|da|do|na|et|du|och|og|в|van|datum|fecha|data"
    # the incident's own labels: "Início", "Fin", "Durée", "Beginn", "Czas trwania"
    r"|início|inicio|fim|fin|duração|duración|durée|début|beginn|ende|dauer|inizio|fine"
    r"|durata|einde|duur|początek|koniec|czas|начало|окончание)(?!\w)",
    re.IGNORECASE,
)
_ENGLISH_WORDS_RE = re.compile(r"\b(?:the|and|was|were|we|of|to|is|for|with)\b", re.IGNORECASE)


def _day_first_language_word(text: str) -> str | None:
    """A word showing the text is written in a day-first language rather than English."""
    sample = text[:20000]
    local: list[str] = _DAY_FIRST_WORDS_RE.findall(sample)
    if len(local) < 3 or len(local) < 2 * len(_ENGLISH_WORDS_RE.findall(sample)):
        return None
    return max(set(local), key=local.count)


def _match_date(kind: str, m: re.Match[str], ctx: DateContext) -> FoundDate | None:
    groups = m.groupdict()
    raw_year = groups.get("y") or groups.get("y2")
    has_year = raw_year is not None
    year = _year(raw_year, ctx)
    if kind == "cjk" and m["m2"]:
        value = _safe_date(year, int(m["m2"]), int(m["d2"]))
    elif kind in ("iso", "cjk", "vi"):
        value = _safe_date(year, int(m["m"]), int(m["d"]))
    elif kind == "foreign":
        value = _safe_date(year, FOREIGN_MONTHS[m["fmon"].lower()], int(m["d"]))
    elif kind in ("num", "md"):
        value = _numeric_date(int(m["a"]), int(m["b"]), year, m.group(0), ctx)
    else:
        value = _safe_date(year, MONTHS[m["mon"][:3].lower()], int(m["d"]))
    if value is None:
        return None
    return FoundDate(value, m.start(), m.end(), has_year)


# Every date and time pattern needs a digit; the month-word patterns also need a month name.
# These cheap searches let most prose lines skip the full scan.
_DIGIT_RE = re.compile(r"\d")
_MONTH_HINT_RE = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.IGNORECASE)
_MONTH_LOWER_RE = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")


def _may_name_month(text: str) -> bool:
    """False only when no month name can occur (plain lower-casing is exact for ASCII)."""
    if text.isascii():
        return _MONTH_LOWER_RE.search(text.lower()) is not None
    return _MONTH_HINT_RE.search(text) is not None


_WORD_DATE_KINDS = frozenset({"dmy", "mdy"})
_LOCAL_KINDS = frozenset({"foreign", "vi", "cjk"})


def has_local_dates(text: str) -> bool:
    """Whether the document writes any date the other languages' way (checked once per file)."""
    return any(
        _PATTERN_BY_KIND[kind].search(text) is not None
        for kind in _LOCAL_KINDS
        if kind == "foreign" or not text.isascii()
    )


def find_dates(text: str, ctx: DateContext) -> list[FoundDate]:
    """All calendar dates in `text`, earliest first, without overlaps."""
    found: list[FoundDate] = []
    if _DIGIT_RE.search(text) is None:
        return found
    has_month = _may_name_month(text)
    taken: list[tuple[int, int]] = []
    for kind, pattern in DATE_PATTERNS:
        if (
            (not has_month and kind in _WORD_DATE_KINDS)
            or (kind == "md" and "/" not in text)
            or (
                kind in _LOCAL_KINDS
                and (not ctx.local_dates or (kind != "foreign" and text.isascii()))
            )
        ):
            continue
        for m in pattern.finditer(text):
            if taken and any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind == "md" and TIME_RE.match(text, m.end()) is None and not _md_context(text, m):
                continue
            hit = _match_date(kind, m, ctx)
            if hit is not None:
                found.append(hit)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _md_context(text: str, m: re.Match[str]) -> bool:
    """A bare `9/25` counts as a date only at the start of a line (timeline style)."""
    before = text[: m.start()].rstrip(" *`|-")
    return before == "" or before.endswith("\n")


def find_times(text: str) -> list[FoundTime]:
    """All clock times (`8:30 AM`, `16:58`, `11 am`) in `text`."""
    found: list[FoundTime] = []
    if _DIGIT_RE.search(text) is None:
        return found
    matches = list(TIME_RE.finditer(text))
    if not text.isascii() or _EXTRA_HINT_RE.search(text):
        extra = list(CLOCK_EXTRA_RE.finditer(text))
        if extra:
            matches = [m for m in matches if not any(_overlap(m, e) for e in extra)] + extra
            matches.sort(key=lambda m: m.start())
    for m in matches:
        if m.re is CLOCK_EXTRA_RE:
            hour = int(m["h7"] or m["h8"] or m["h9"])
            minute = int(m["mi7"] or m["mi8"] or 0)
            second, ampm, half = 0, "", m["ap7"]
        else:
            hour = int(m["h"] or m["h2"] or m["h3"] or m["h5"] or m["h6"])
            minute = int(m["mi"] or m["mi3"] or m["mi4"] or m["mi5"] or m["mi6"] or 0)
            second = int(m["s"] or 0)
            ampm = (m["ap"] or m["ap2"] or "").lower().replace(".", "")
            half = m["ap3"]
        if half:
            ampm = "pm" if half in {"午後", "下午", "晚上", "오후"} else "am"
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            continue
        found.append(FoundTime(time(hour, minute, second), m.start(), m.end()))
    return found


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def zone_from_match(m: re.Match[str], on: date | None) -> tzinfo | None:
    """Turn one ZONE_RE match into a tzinfo; region words need the date for daylight time."""
    if m.re is PLACE_ZONE_RE:
        return place_zone(m, on)
    if m["local"]:
        key = " ".join(m["local"].lower().replace("’", "'").split())
        named = LOCAL_ZONES.get(key, LOCAL_ZONES.get(key.replace(" ", ""), 0))
        if isinstance(named, str):
            return civil_zone(named, on)
        return timezone(timedelta(hours=named))
    if m["off"]:
        sign = -1 if m["sign"] in "-−－" else 1
        return _fixed(sign * timedelta(hours=int(m["oh"]), minutes=int(m["om"] or 0)))
    if m["iso"]:
        sign = -1 if m.group(0).startswith("-") else 1
        return _fixed(sign * timedelta(hours=int(m["ih"]), minutes=int(m["im"])))
    if m["abbr"]:
        abbr = m["abbr"].upper()
        if abbr == "Z" and m["abbr"] != "Z":
            return None
        return timezone(timedelta(hours=ABBREVIATIONS[abbr]))
    # Resolved to the fixed civil offset of that day, so instants compare plainly.
    if m["iana"]:
        return civil_zone(m["iana"], on)
    return civil_zone(REGIONS[m["region"].upper()], on)


def _fixed(offset: timedelta) -> tzinfo | None:
    """A fixed offset, or None for numbers no real zone has (a time range misread as '+24')."""
    if abs(offset) > timedelta(hours=14):
        return None
    return timezone(offset)


def _written_as_zone(m: re.Match[str]) -> bool:
    """Abbreviations and short region words count only in capitals ('ET', not 'et')."""
    if m.re is PLACE_ZONE_RE:
        return True
    raw = m.group(0)
    if m["abbr"] and raw != raw.upper():
        return False
    return not (m["region"] and raw != raw.upper() and len(raw) <= 3)


def find_zone(text: str, on: date | None = None) -> tzinfo | None:
    """The first zone named in `text` (e.g. a timeline note 'All times in PST')."""
    places = PLACE_ZONE_RE.finditer(text) if _may_name_place(text) else ()
    for m in sorted([*ZONE_RE.finditer(text), *places], key=lambda m: m.start()):
        if (m.re is ZONE_RE and m["iso"]) or not _written_as_zone(m):
            continue
        zone = zone_from_match(m, on)
        if zone is not None:
            return zone
    return None


_BRACKETS_RE = re.compile(r"[\s,(\[（]{0,3}")
_ZONE_GAP_RE = re.compile(
    r"[\s,(\[（]{0,3}(?:(?:Uhr|hrs?|horas?(?! de)|heures?(?! d)|ore(?! di))\b[\s,(\[（]{0,3})?"
    # "11시 45분까지 (KST)", "11時45分まで（JST）": a particle ends the time
    r"(?:(?:까지|부터|まで|から)[\s,(\[（]{0,3})?"
    # "(heure de Paris, CET)", "(Berlin time, CEST)": a city named before the abbreviation
    r"(?:(?:heure (?:de |d['’])|hora de |ora di )\w+,?\s*(?=[A-Z]{3})|\w+ time,\s*(?=[A-Z]{3}))?"
)


def zone_after(text: str, pos: int, on: date | None) -> tuple[tzinfo | None, int]:
    """A zone written right after position `pos` (`16:58 UTC`, `(UTC-5)`, `, UTC`)."""
    if re.match(r"Z(?![A-Za-z0-9])", text[pos : pos + 2]):
        return UTC, pos + 1
    m = _ZONE_GAP_RE.match(text, pos)  # "14:00 Uhr (MEZ)": a clock word may come first
    start = m.end() if m else pos
    zm = ZONE_RE.match(text, start)
    if zm is None and _may_name_place(text[pos : pos + 50]):
        # "heure normale de l'Est", "hora de Brasília": the clock word begins the zone's name
        bracket = _BRACKETS_RE.match(text, pos)
        for begin in dict.fromkeys((start, bracket.end() if bracket else pos)):
            zm = ZONE_RE.match(text, begin) or PLACE_ZONE_RE.match(text, begin)
            if zm is not None:
                break
    if zm is None:
        return None, pos
    if not _written_as_zone(zm):
        return None, pos
    if (
        zm.re is ZONE_RE
        and zm["iso"]
        and not re.match(r"\d{2}:\d{2}$|T", text[max(0, pos - 5) : pos])
    ):
        return None, pos
    zone = zone_from_match(zm, on)
    return (zone, zm.end()) if zone is not None else (None, pos)


@dataclass(frozen=True, slots=True)
class Moment:
    """A point in time found in text: a date, maybe a time, maybe a zone."""

    day: date | None
    at: time | None
    tz: tzinfo | None
    start: int
    end: int

    def to_datetime(self, default_tz: tzinfo | None) -> datetime | None:
        """A datetime when both day and time are known; aware when any zone is known."""
        if self.day is None or self.at is None:
            return None
        tz = self.tz or default_tz
        value = datetime.combine(self.day, self.at)
        if tz is None:
            return value  # noqa: DTZ001 - the document gave no zone; kept naive on purpose
        if isinstance(tz, ZoneInfo):
            offset = value.replace(tzinfo=tz).utcoffset()
            tz = timezone(offset) if offset is not None else tz
        return value.replace(tzinfo=tz)


_JOIN = re.compile(
    r"[\s,]*(?:(?:at|a las?|às|as|à|um|gegen|alle|om|vers|в|lúc|kl\.?)\s+|@\s*|T|\()?[\s,]*"
    # "06.05.2026, ca. 02:00 Uhr": an approximate time of that day
    r"(?:(?:ca\.|ok\.|około|около|approx\.|about|around|~)\s*)?$",
    re.IGNORECASE,
)
_JOIN_ON = re.compile(r"^[\s,(]*(?:on\s+)?$", re.IGNORECASE)


def find_moments(text: str, ctx: DateContext) -> list[Moment]:
    """Dates and times paired up as they appear: `02/08/2023, 8:30 AM`, `11 AM ET on Sept 25`."""
    if _DIGIT_RE.search(text) is None:
        return []
    dates = find_dates(text, ctx)
    times = [t for t in find_times(text) if not any(d.start <= t.start < d.end for d in dates)]
    moments: list[Moment] = []
    used_dates: set[int] = set()
    for t in times:
        day_index = _date_for_time(text, t, dates, used_dates)
        day = dates[day_index].value if day_index is not None else None
        if day_index is not None:
            used_dates.add(day_index)
        tz, tz_end = zone_after(text, t.end, day or ctx.default_date)
        if tz is None and day_index is not None and dates[day_index].start >= t.end:
            # "10:05 14/09/2026 (UTC+7)": the zone follows the date that follows the time.
            tz, tz_end = zone_after(text, dates[day_index].end, day)
        start = min(t.start, dates[day_index].start) if day_index is not None else t.start
        end = max(tz_end, t.end, dates[day_index].end if day_index is not None else 0)
        moments.append(Moment(day, t.value, tz, start, end))
    for i, d in enumerate(dates):
        if i not in used_dates:
            moments.append(Moment(d.value, None, None, d.start, d.end))
    return sorted(moments, key=lambda m: m.start)


def _date_for_time(text: str, t: FoundTime, dates: list[FoundDate], used: set[int]) -> int | None:
    for i, d in enumerate(dates):
        if i in used:
            continue
        if d.end <= t.start and _JOIN.match(text[d.end : t.start]):
            return i
    for i, d in enumerate(dates):
        if i in used or d.start < t.end:
            continue
        between = text[t.end : d.start]
        between = ZONE_RE.sub("", between)
        if _JOIN_ON.match(between):
            return i
    return None


_REST_LEAD_RE = re.compile(r"^[\s*`_|]*(?:onwards)?[\s*`_|]*(?:[:\-–—|]+\s*)?")
_LEAD_MARKUP_RE = re.compile(r"^[\s>#*|`_-]*(?:\d+[.)]\s+)?[*`_]*")
# A date or time starts with a digit, a weekday or a month name; a leading one starts by column 2.
_LEADING_DATE_HINT_RE = re.compile(
    r".{0,2}(?:\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE | re.DOTALL,
)


# "Sat 02:00 – first failing build": a weekday that names the day of a time.
_WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonntag": 6, "lunes": 0, "martes": 1, "miércoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "domingo": 6,
}  # fmt: skip
_WEEKDAY_LEAD_RE = re.compile(
    r"(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|samstag|sonntag|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\.?,?\s+(?=\d)",
    re.IGNORECASE,
)


def weekday_number(word: str) -> int | None:
    """0 for Monday .. 6 for Sunday, from an English, German or Spanish weekday word."""
    low = word.lower().replace("á", "a").replace("é", "e")
    for key, number in _WEEKDAYS.items():
        plain = key.replace("á", "a").replace("é", "e")
        if low == plain or (len(plain) == 3 and low.startswith(plain)):
            return number
    return None


def on_or_after(base: date, weekday: int) -> date:
    """The first day from `base` on that falls on `weekday` (Saturday 14th, 'Sun' -> 15th)."""
    return base + timedelta(days=(weekday - base.weekday()) % 7)


def _weekday_lead(stripped: str, ctx: DateContext) -> tuple[date | None, int]:
    """The day a leading weekday names, counted from the day known so far, and its length."""
    m = _WEEKDAY_LEAD_RE.match(stripped)
    if m is None or ctx.default_date is None:
        return None, 0
    number = weekday_number(m["wd"])
    if number is None:
        return None, 0
    return on_or_after(ctx.default_date, number), m.end()


def leading_moment(line: str, ctx: DateContext) -> tuple[Moment, str] | None:
    """A timeline line's leading date/time and the rest of the line, or None."""
    stripped = _LEAD_MARKUP_RE.sub("", line, count=1)
    if _LEADING_DATE_HINT_RE.match(stripped) is None:
        return None  # no digit, weekday or month name where a leading date could start
    named_day, skip = _weekday_lead(stripped, ctx)
    moments = find_moments(stripped[skip : skip + 60], ctx)
    if not moments or moments[0].start > 2:
        return None
    first = moments[0]
    if skip:  # "Sat 14 March 02:00" keeps its written date; "Sat 02:00" takes the weekday's
        day = first.day or named_day
        first = Moment(day, first.at, first.tz, first.start + skip, first.end + skip)
    end = first.end
    m = ZONE_RE.match(stripped, end) if end < len(stripped) else None
    rest = stripped[end:]
    if m is not None:
        rest = stripped[m.end() :]
    rest = _REST_LEAD_RE.sub("", rest, count=1).strip()
    rest = rest.strip("*`_| ").strip()
    return first, rest


DURATION_RE = re.compile(
    r"\b(?:for|lasting|lasted|downtime\s+of|outage\s+of|down\s+for)\s+"
    r"(?:about|approximately|approx\.?|around|roughly|nearly|almost|~)?\s*~?"
    r"(?:(?P<h>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve)\s*(?:hours?|hrs?|h)\b(?:,?\s*(?:and\s+)?(?P<hm>\d+)\s*(?:minutes?|mins?|m)\b)?"
    r"|(?P<m>\d+)\s*(?:minutes?|mins?)\b)",
    re.IGNORECASE,
)
_DURATION_CUE_RE = re.compile(
    r"(?=[fldo])\b(?:for|lasting|lasted|downtime|outage|down)\s", re.IGNORECASE
)
_NOT_OUTAGE_RE = re.compile(
    r"\b(?:paged|notic|detect|alert|respond|responded|wait|took|spent|investigat|debugg|sat"
    r"|discuss)\w*",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


# "About", "ca.", "±" in the languages the importer reads; a stated figure is often rounded.
_APPROX_OTHER = (
    r"ca\.|circa|约|約|大约|大約|대략|약|khoảng|около|приблизно|близько|примерно|około|ok\."
    r"|ongeveer|ungefähr|etwa|environ|aproximadamente|aprox\.?|cerca de|alrededor de|sekitar"
    r"|kurang lebih|yaklaşık|±|rund|knapp|unos|unas|près de|quasi|ruim|bijna|prawie|почти|майже"
)
_APPROX = rf"about|approximately|approx\.?|around|roughly|nearly|almost|~|≈|{_APPROX_OTHER}"
_HOUR_UNITS = (
    r"hours?|hrs?|h|std\.?|stunden?|heures?|horas?|ore|uur|godzin[ay]?|godz\.?|годин[аи]?"
    r"|час(?:а|ов)?|ч\.?|saat|jam|hodin[ay]?|timmar|小时|小時|時間|시간|giờ"
)
_MINUTE_UNITS = (
    r"minutes?|mins?|m|min\.?|minuten|minutos|minuti|minut[ay]?|минут[аы]?|мин\.?|хвилин[аи]?"
    r"|dakika|menit|minuter|分钟|分鐘|分間|分|분|phút"
)
_SPAN = (
    rf"(?:{_APPROX})?"
    r"\s*~?\s*"
    r"(?=\d)(?:(?P<dd>\d+)\s*(?:days?|d|días?|dias?|jours?|tage?n?|giorni|dagen|dni|дн(?:ей|я)?"
    r"|дні|днів|天|日|일|ngày)(?![a-z]),?\s*(?:and\s+)?)?"
    # "2,5 Stunden", "1,5 hours": a decimal comma; "1 h 15": minutes after the hour unit
    rf"(?:(?P<hh>\d+(?:[.,]\d+)?)\s*(?:{_HOUR_UNITS})(?![a-z])"
    r"(?: ?(?P<hmm>[0-5]\d)(?!\d|[.,:]\d))?,?\s*"
    r"(?:and\s+|und\s+|et\s+|e\s+|y\s+|en\s+|и\s+|i\s+|і\s+|dan\s+|ve\s+)?)?"
    rf"(?:(?P<mm>\d+)\s*(?:{_MINUTE_UNITS})(?![a-z]))?"
)
# A duration under a label ("Time to recovery: 389 minutes", "Total Outage: 2 hours 49
# minutes", "Duration: ~24h40m") or in parentheses after a window ("(~75 hours)").
LABELLED_DURATION_RE = re.compile(
    r"(?:(?:dauer|\b(?:duration|dur[ée]e|dura[cç][aã]o|time to (?:recover(?:y)?|resolv\w*|restor\w*"
    r"|mitigat\w*|repair)|ttr|mttr|total (?:outage|downtime|duration|impact)|downtime"
    r"|outage (?:length|duration)|ausfallzeit|length of (?:the )?outage|czas trwania|durasi"
    r"|süre|тривалість|duraci[óo]n|durata|duur|длительность|продолжительность|время простоя"
    r"|doba trvání|varaktighet|varighed|varighet|kesto|durată))\b"
    # "Duration: 2 h", "| Dauer | 2 h |", "Total duration is 1,5 hours"
    r"[*_ |]*(?:[:=—–-]|\b(?:is|was|of|wynosi|war|était|foi|fue)\b)?[*_ |]*"
    r"|(?:持续时间|持續時間|影响时长|故障时长|継続時間|障害時間|影響時間|所要時間|지속\s?시간|장애\s?시간"
    r"|thời gian (?:gián đoạn|ảnh hưởng|sự cố)|thời lượng)[*_ ]*[:：=—–-]?[*_ ]*"
    r"|\(\s*(?=[~≈]|about|approx))" + _SPAN,
    re.IGNORECASE,
)


# Every LABELLED_DURATION_RE match starts with one of these (lower-cased); plain substring
# searches find the few places worth trying the expression at.
_DURATION_LABELS = (
    "duration", "dauer", "durée", "duree", "duração", "duracao", "time to", "ttr", "total ",
    "downtime", "outage ", "ausfallzeit", "length of", "(", "duración", "duracion", "durata",
    "duur", "длительность", "продолжительность", "время простоя", "持续时间", "持續時間",
    "影响时长", "故障时长", "継続時間", "障害時間", "影響時間", "所要時間", "지속", "장애",
    "thời gian", "thời lượng", "czas trwania", "durasi", "süre", "тривалість", "doba trvání",
    "varaktighet", "varighed", "varighet", "kesto", "durată",
)  # fmt: skip


def _label_starts(text: str) -> list[int]:
    low = text.lower()
    if len(low) != len(text):  # lower-casing changed offsets (rare letters): try everywhere
        return [m.start() for m in re.finditer(r"\S+", text)]
    starts: set[int] = set()
    for label in _DURATION_LABELS:
        i = low.find(label)
        while i != -1 and len(starts) < 200:
            if label != "(" or low[i + 1 : i + 2] in {"~", "≈", "a"}:
                starts.add(i)
            i = low.find(label, i + 1)
    return sorted(starts)


def _labelled_duration(text: str) -> int | None:
    matches = (LABELLED_DURATION_RE.match(text, i) for i in _label_starts(text))
    for m in matches:
        if m is None:
            continue
        if not (m["dd"] or m["hh"] or m["mm"]):
            continue
        minutes = _span_minutes(m)
        if minutes > 0:
            return minutes
    return None


def _span_minutes(m: re.Match[str]) -> int:
    hours = float((m["hh"] or "0").replace(",", "."))
    minutes = int(m["dd"] or 0) * 1440 + hours * 60 + int(m["hmm"] or 0) + int(m["mm"] or 0)
    return round(minutes)


# A figure the author hedges ("około 2 godzin", "約3時間", "±3 hours 20 minutes") or
# introduces with a verb of lasting ("共持续 47 分钟", "durou 51 minutos"), anywhere in prose.
# English "about 20 minutes" is left out: in English prose it is as often how long a step took.
_LASTED = (
    r"持续了?|持續了?|历时|歷時|共|trwał[ao]?|duró|durou|durò|a duré|dauerte|duurde"
    r"|длил(?:ся|ась|ось)|тривал[аио]?|тривав|kéo dài|berlangsung|sürdü"
)
HEDGED_DURATION_RE = re.compile(
    rf"(?:{_APPROX_OTHER}|(?:{_LASTED})(?:\s*(?:{_APPROX}))?)" + _SPAN,
    re.IGNORECASE,
)


# Every HEDGED_DURATION_RE match starts with one of these (lower-cased).
_HEDGE_STARTS = (
    "ca.", "circa", "约", "約", "大约", "大約", "대략", "약", "khoảng", "около", "приблизно",
    "близько", "примерно", "około", "ok.", "ongeveer", "ungefähr", "etwa", "environ", "aprox",
    "cerca de", "alrededor de", "sekitar", "kurang lebih", "yaklaşık", "±", "持续", "持續",
    "历时", "歷時", "共", "trwał", "duró", "durou", "durò", "a duré", "dauerte", "duurde",
    "длил", "тривал", "тривав", "kéo dài", "berlangsung", "sürdü",
)  # fmt: skip


def _hedged_duration(text: str) -> int | None:
    low = text.lower()
    if len(low) != len(text):
        return None  # lower-casing moved offsets (rare letters); no hedged figure then
    starts = sorted({i for word in _HEDGE_STARTS for i in _positions(low, word)})
    for start in starts:
        before = text[start - 1 : start] if start else ""
        if before.isalnum() and before < "\u3000":
            continue  # inside a word of a spaced script ("Bruce. 3 hours"), not after 共
        m = HEDGED_DURATION_RE.match(text, start)
        if m is not None and (m["hh"] or m["mm"]):
            return _span_minutes(m)
    return None


def _positions(low: str, word: str, limit: int = 50) -> list[int]:
    found: list[int] = []
    i = low.find(word)
    while i != -1 and len(found) < limit:
        found.append(i)
        i = low.find(word, i + 1)
    return found


def stated_duration(text: str) -> int | None:
    """The outage length the author states ('for about 12 hours', 'Time to recovery: 389 min').

    A labelled figure ("Duration:", "Total outage:", "(~75 hours)") wins over a phrase in
    prose ("for about 12 hours").
    """
    labelled = _labelled_duration(text) if _DIGIT_RE.search(text) else None
    if labelled is not None:
        return labelled
    m = None
    for cue in _DURATION_CUE_RE.finditer(text):  # a cheap scan for where a match could start
        m = DURATION_RE.match(text, cue.start())
        sentence = text[max(0, cue.start() - 80) : cue.start()].rsplit(".", 1)[-1]
        if m is not None and _NOT_OUTAGE_RE.search(sentence):
            m = None  # "Nobody was paged for 19 minutes": how long something else took
        if m is not None:
            break
    if m is None:
        return _hedged_duration(text)
    if m["m"]:
        return int(m["m"])
    raw = m["h"].lower()
    hours = float(_WORD_NUMBERS.get(raw, 0) or raw)
    return round(hours * 60) + int(m["hm"] or 0)


QUARTER_RE = re.compile(r"\b(?:Q(?P<q>[1-4])|H(?P<half>[12]))\s*(?P<y>\d{4})\b", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"\b(?P<mon>{_MONTH_WORD})\s+(?P<y>\d{{4}})\b", re.IGNORECASE)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_end(text: str, ctx: DateContext) -> date | None:
    """The last day of the last period named (`Q4 2025 - Q1 2026` -> 2026-03-31), or a date."""
    ends: list[tuple[int, date]] = []
    if _DIGIT_RE.search(text) is None:
        return None  # quarters, month-years and dates all need a year or a day number
    low = text.lower()
    quarters = QUARTER_RE.finditer(text) if "q" in low or "h" in low or not text.isascii() else ()
    for m in quarters:
        year = int(m["y"])
        month = int(m["q"]) * 3 if m["q"] else int(m["half"]) * 6
        ends.append((m.start(), _month_end(year, month)))
    for m in MONTH_YEAR_RE.finditer(text) if _may_name_month(text) else ():
        ends.append((m.start(), _month_end(int(m["y"]), MONTHS[m["mon"][:3].lower()])))
    for d in find_dates(text, ctx):
        if d.has_year:
            ends.append((d.start, d.value))
    if not ends:
        return None
    return max(ends, key=lambda pair: pair[0])[1]
