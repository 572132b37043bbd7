"""Due periods named in words, in the languages the importer reads.

"bis Ende Januar", "até o fim de janeiro", "fine febbraio", "eind Q2", "конец I квартала":
the last day of the month or quarter, in the incident's year (or the next, when that day
would fall before the incident). Dates with digits are read by dates.py.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tracker.postmortem.dates import DateContext

# Month names (and their genitives) in the languages the importer reads, for due dates such
# as "bis Ende Januar", "até o fim de janeiro", "fine febbraio", "End of January".
_MONTH_NAMES: tuple[str, ...] = (
    "january januar janvier enero janeiro gennaio januari styczeń stycznia январь января січень"
    " січня ocak",
    "february februar février fevrier febrero fevereiro febbraio februari luty lutego февраль"
    " февраля лютий лютого şubat subat",
    "march märz maerz mars marzo março marco maart marzec marca март марта березень березня mart",
    "april avril abril aprile kwiecień kwietnia апрель апреля квітень квітня nisan",
    "may mai mayo maio maggio mei maj maja май мая травень травня mayıs mayis",
    "june juni juin junio junho giugno czerwiec czerwca июнь июня червень червня haziran",
    "july juli juillet julio julho luglio lipiec lipca июль июля липень липня temmuz",
    "august août aout agosto augustus sierpień sierpnia август августа серпень серпня ağustos"
    " agustus",
    "september septembre septiembre setembro settembre wrzesień września сентябрь сентября"
    " вересень вересня eylül eylul",
    "october oktober octobre octubre outubro ottobre październik października октябрь октября"
    " жовтень жовтня ekim",
    "november novembre noviembre novembro listopad listopada ноябрь ноября листопад листопада"
    " kasım kasim nopember",
    "december dezember décembre decembre diciembre dezembro dicembre grudzień grudnia декабрь"
    " декабря грудень грудня aralık aralik desember",
)  # fmt: skip
MONTH_NUMBERS = {name: i + 1 for i, names in enumerate(_MONTH_NAMES) for name in names.split()}
MONTH_PERIOD_RE = re.compile(
    r"^(?:(?:o|a|el|la|le|il|de|het|the)\s+)?(?:(?:the\s+)?end\s+of|ende|fin(?:e)?(?:\s+de)?"
    r"|fim\s+de|eind|koniec|конец|конца|кінець|кінця|sonu|akhir)?\s*(?:de\s+|del\s+)?"
    r"(?P<month>[^\W\d_]{3,12})(?:\s+(?:de\s+)?(?P<year>\d{4}))?\b",
    re.IGNORECASE,
)
QUARTER_PERIOD_RE = re.compile(
    r"^(?:(?:the\s+)?end\s+of|ende|fin(?:e)?(?:\s+de)?|fim\s+de|eind|koniec|конец|кінець)?\s*"
    r"(?:Q(?P<q>[1-4])|(?P<roman>I{1,3}|IV)\s+(?:квартал\w*|kwarta\w*|trimest\w*|quart\w*))"
    r"(?:\s+(?P<year>\d{4}))?\b",
    re.IGNORECASE,
)


def month_period_end(text: str, ctx: DateContext) -> date | None:
    """'Ende Januar', 'fine febbraio 2027', 'eind Q2', 'конец I квартала' -> the period's last day.

    Without a year, the first such period that ends after the incident.
    """
    m = MONTH_PERIOD_RE.match(text.strip())
    month = MONTH_NUMBERS.get(m["month"].lower()) if m is not None else None
    quarter = QUARTER_PERIOD_RE.match(text.strip()) if month is None else None
    if month is None and quarter is not None:
        roman = quarter["roman"]
        q = int(quarter["q"]) if quarter["q"] else ("I", "II", "III", "IV").index(roman.upper()) + 1
        month, m = q * 3, quarter
    if month is None or m is None:
        return None
    year = int(m["year"]) if m["year"] else ctx.default_year
    if year is None:
        return None
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return after_incident(end, bool(m["year"]), ctx)


def after_incident(day: date, has_year: bool, ctx: DateContext) -> date:
    """A due date written without its year falls after the incident, not before it."""
    if has_year or ctx.default_date is None or day >= ctx.default_date:
        return day
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
