"""Time zones named by place: `US/Pacific`, `Istanbul time`, `hora de Brasília`, `台灣時間`.

Authors who do not write an abbreviation name the place whose clock they mean, in their own
language. The IANA database (zoneinfo) already knows every city; this module only turns the
ways people write a place into one of its keys, so `Kyiv time` and `за київським часом` follow
the civil offset of the day in question, daylight time included.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Places written as adjectives or in other scripts, which no IANA key spells.
PLACE_WORDS: dict[str, str] = {
    "brasilia": "America/Sao_Paulo", "brasil": "America/Sao_Paulo",
    "centro de mexico": "America/Mexico_City", "mexico": "America/Mexico_City",
    "ciudad de mexico": "America/Mexico_City", "cdmx": "America/Mexico_City",
    "lisboa": "Europe/Lisbon", "espana": "Europe/Madrid", "peninsular": "Europe/Madrid",
    "italiana": "Europe/Rome", "italia": "Europe/Rome", "roma": "Europe/Rome",
    "francaise": "Europe/Paris", "deutscher": "Europe/Berlin", "nederlandse": "Europe/Amsterdam",
    "polskiego": "Europe/Warsaw", "polskim": "Europe/Warsaw", "warszawa": "Europe/Warsaw",
    "l'est": "America/Toronto", "pacifique": "America/Vancouver", "centre": "America/Winnipeg",
    "atlantique": "America/Halifax", "rocheuses": "America/Edmonton", "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv",
    "київським": "Europe/Kyiv", "киевскому": "Europe/Kyiv", "московскому": "Europe/Moscow",
    "москві": "Europe/Moscow", "минскому": "Europe/Minsk", "india": "Asia/Kolkata",
    "indonesia": "Asia/Jakarta", "turkiye": "Europe/Istanbul", "turkey": "Europe/Istanbul",
    "台灣": "Asia/Taipei", "台湾": "Asia/Taipei", "臺灣": "Asia/Taipei", "香港": "Asia/Hong_Kong",
    "新加坡": "Asia/Singapore", "上海": "Asia/Shanghai", "東京": "Asia/Tokyo",
}  # fmt: skip

# Words that are IANA keys but say nothing about a place in "<word> time".
_NOT_PLACES = frozenset({"factory", "west", "east", "north", "south", "general", "continental"})

# How a place is written around its name: "Istanbul time", "hora de Brasília", "heure de
# Paris", "ora italiana", "Berliner Zeit", "за київським часом", "台灣時間".
_CAP = r"(?-i:[A-ZÀ-ÝÁ-Ú])[\w'’-]+"
PLACE_ZONE_PATTERN = (
    rf"(?P<place1>{_CAP}(?:\s{_CAP})?)\s+(?:local\s+)?time\b"
    r"|(?:hor[aá]rio|hora|heure|ora)\s+(?:oficial\s+|normale\s+|locale?\s+)?"
    rf"(?:del?\s+|du\s+|des\s+|d['’]|di\s+)?(?P<place2>(?:centro\s+de\s+)?{_CAP}(?:\s{_CAP})?|l['’]est)"
    r"|(?:ora|hora)\s+(?P<place3>italiana|peninsular)"
    rf"|(?P<place4>{_CAP})er\s+Zeit\b"
    r"|(?P<place5>deutscher|nederlandse)\s+(?:Zeit|tijd)\b"
    r"|(?:по|за)\s+(?P<place6>\w+(?:скому|ським))\s+(?:времени|часом)"
    r"|(?P<place7>台灣|台湾|臺灣|香港|新加坡|上海|東京)\s?(?:時間|时间)"
)
PLACE_GROUPS = tuple(f"place{i}" for i in range(1, 8))


def _plain(text: str) -> str:
    """Lower case without accents ('Brasília' -> 'brasilia'); other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _places() -> dict[str, str]:
    """Every IANA city ('istanbul', 'sao paulo', 'new york') -> its zone key, plus links."""
    places: dict[str, str] = {}
    for key in sorted(available_timezones()):
        if "/" not in key or key.startswith(("Etc/", "SystemV/")):
            continue
        city = _plain(key.rsplit("/", 1)[1].replace("_", " "))
        if city not in _NOT_PLACES:
            places.setdefault(city, key)
    places.update({_plain(word): key for word, key in PLACE_WORDS.items()})
    return places


def place_zone_key(words: str) -> str | None:
    """The IANA key of a written place ('Istanbul', 'centro de México'), or None."""
    plain = " ".join(_plain(words).split())
    places = _places()
    if plain in places:
        return places[plain]
    first = plain.split(" ", 1)[0]
    return places.get(first) if first != plain else None


@cache
def iana_keys() -> frozenset[str]:
    return frozenset(available_timezones())


IANA_PATTERN = (
    r"\b(?P<iana>(?-i:(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian"
    r"|Pacific|US|Canada|Brazil|Mexico|Chile)/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?))"
)


def civil_zone(key: str, on: date | None) -> tzinfo | None:
    """The named zone, fixed to the offset of that day when the day is known."""
    if key not in iana_keys():
        return None
    region = ZoneInfo(key)
    if on is None:
        return region
    noon = datetime(on.year, on.month, on.day, 12, tzinfo=region)
    offset = noon.utcoffset()
    return timezone(offset) if offset is not None else region


def place_zone(m: re.Match[str], on: date | None) -> tzinfo | None:
    """The zone of a PLACE_ZONE_PATTERN match, or None when no known place is named."""
    for group in PLACE_GROUPS:
        words = m[group]
        if words:
            key = place_zone_key(words.replace("’", "'"))
            return civil_zone(key, on) if key is not None else None
    return None
