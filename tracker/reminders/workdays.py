"""Which dates are holidays: a country's (and region's) public holidays from the `holidays`
package, plus the dates the configuration lists itself.

The package is imported only when a country is configured (it costs ~0.4 s to load).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tracker.config import ConfigError, HolidaySettings


def holiday_dates(settings: HolidaySettings, years: Iterable[int]) -> dict[date, str]:
    """Holiday date -> its name, for these years; refuses an unknown country or region."""
    out: dict[date, str] = {}
    if settings.country:
        import holidays

        country = settings.country.strip().upper()
        subdivision = settings.subdivision.strip().upper() or None
        try:
            calendar = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
        except NotImplementedError:
            supported = holidays.list_supported_countries()
            if country not in supported:
                raise ConfigError(
                    f"reminders.holidays.country: unknown country {settings.country!r}; "
                    "use an ISO 3166 code like 'US', 'DE' or 'PL'"
                ) from None
            regions = ", ".join(supported[country][:12])
            raise ConfigError(
                f"reminders.holidays.subdivision: {country} has no region "
                f"{settings.subdivision!r}; use one of {regions}"
                + (", ..." if len(supported[country]) > 12 else "")
            ) from None
        out.update((day, str(name)) for day, name in calendar.items())
    elif settings.subdivision:
        raise ConfigError("reminders.holidays.subdivision is set but country is empty")
    for day in settings.dates:
        out.setdefault(day, "configured holiday")
    return out
