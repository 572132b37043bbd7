"""Settings: one typed tree read from TOML, with CAPA_TRACKER_* environment overrides.

Secrets never live in the file: the file names the environment variable that holds them
(`token_env`, `password_env`, `url_env`), and `Settings.secret()` reads it on demand.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracker.addresses import is_address
from tracker.errors import ConfigurationError
from tracker.vocabulary import (
    DEFAULT_DUE_DAYS,
    DEFAULT_PRIORITY,
    DEFAULT_VERIFY_AFTER_DAYS,
    PRIORITIES,
)

ENV_PREFIX = "CAPA_TRACKER_"
CONFIG_ENV = "CAPA_TRACKER_CONFIG"
CONFIG_FILE_NAME = "capa-tracker.toml"
Side = Literal["jira", "tracker"]
# The reminder channels, named once here (the planner, the sender and the docs use these).
Channel = Literal["email", "webhook", "jira", "log"]
APP_NAME = "capa-tracker"


class ConfigError(ConfigurationError):
    """A setting is wrong; the message names the file, the key and what is expected."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class DatabaseSettings(_Section):
    url: str = Field(
        default="", description="SQLAlchemy URL; empty means a SQLite file in the user data dir."
    )
    busy_timeout_ms: int = Field(
        default=10_000, ge=0, description="How long SQLite waits for a lock."
    )


class PolicySettings(_Section):
    timezone: str = Field(
        default="UTC", description="IANA zone for 'today', reminders and documents without a zone."
    )
    date_order: Literal["MDY", "DMY"] = Field(
        default="MDY", description="How ambiguous dates like 02/08/2023 are read."
    )
    default_priority: Literal["P0", "P1", "P2", "P3"] = DEFAULT_PRIORITY
    due_days: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_DUE_DAYS),
        description="Days from import to due date per priority, when the document gives none.",
    )
    due_soon_days: int = Field(
        default=7, ge=0, description="An open action due within this many days is 'due soon'."
    )
    verify_after_days: int = Field(
        default=DEFAULT_VERIFY_AFTER_DAYS,
        ge=0,
        description="Default verify_by after an action is done.",
    )
    require_reason_for_extension: bool = Field(
        default=True, description="Moving a due date later needs --reason (every slip is kept)."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown timezone {value!r}; use an IANA name like 'Europe/Berlin'"
            ) from exc
        return value

    @field_validator("due_days")
    @classmethod
    def _all_priorities(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(PRIORITIES))
        if unknown:
            raise ValueError(f"unknown priority {unknown[0]!r}; expected keys P0, P1, P2, P3")
        if any(days < 0 for days in value.values()):
            raise ValueError("days must be zero or more")
        return {p: value.get(p, d) for p, d in DEFAULT_DUE_DAYS.items()}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class PersonSettings(_Section):
    email: str | None = None
    chat: str | None = None
    lead: str | None = Field(
        default=None, description="Who gets escalations for this person's actions."
    )
    team: str | None = None
    jira: str | None = Field(
        default=None, description="Jira account id (Cloud) or user name (Data Center)."
    )

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        value = value.strip() if value else None
        if value and not is_address(value):
            raise ValueError("not an e-mail address; write it like 'ana@example.com'")
        return value


class JiraSettings(_Section):
    url: str = Field(default="", description="Base URL of the Jira site; empty disables sync.")
    deployment: Literal["cloud", "datacenter"] = "cloud"
    email: str = Field(default="", description="Cloud only: the account that owns the API token.")
    token_env: str = Field(
        default="JIRA_API_TOKEN", description="Environment variable holding the token."
    )
    project: str = "OPS"
    issue_type: str = "Task"
    label: str = "capa-tracker"
    verify_tls: bool = True
    timeout_seconds: float = Field(default=20.0, gt=0)
    max_retries: int = Field(default=4, ge=0)
    priority_map: dict[str, str] = Field(
        default_factory=lambda: {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low"}
    )
    done_statuses: list[str] = Field(
        default_factory=list, description="Extra status names meaning done."
    )
    done_transition: str = Field(default="Done", description="Target status name for done actions.")
    wont_do_transition: str = Field(
        default="Won't Do", description="Target status name for wont_do."
    )
    wont_do_resolution: str = Field(
        default="Won't Do",
        description="Resolution set when a wont_do action closes its issue (checked against Jira).",
    )
    done_resolutions: list[str] = Field(
        default_factory=lambda: ["Done"],
        description="Resolutions meaning done; any other resolution pulls back as wont_do.",
    )
    blocked_status: str = Field(
        default="Blocked", description="Workflow status that local `blocked` maps to."
    )
    custom_fields: dict[str, str] = Field(
        default_factory=dict,
        description="Jira field display name -> action attribute (e.g. 'Root cause' = 'root_cause').",
    )
    conflict_winner: dict[str, Side] = Field(
        default_factory=lambda: dict[str, Side](status="jira", due_date="tracker", owner="jira"),
        description="When both sides changed a field since the last sync, which side wins.",
    )


class EmailSettings(_Section):
    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str = ""
    password_env: str = "SMTP_PASSWORD"
    sender: str = "capa-tracker@example.com"
    default_domain: str = "example.com"
    timeout_seconds: float = Field(default=20.0, gt=0)


class WebhookSettings(_Section):
    url_env: str = Field(
        default="CAPA_WEBHOOK_URL", description="Environment variable holding the webhook URL."
    )
    timeout_seconds: float = Field(default=10.0, gt=0)


class HolidaySettings(_Section):
    country: str = Field(
        default="",
        description="ISO 3166 country code whose public holidays get no reminders (the "
        "`holidays` package); empty: none.",
    )
    subdivision: str = Field(
        default="", description="State, province or region code within the country, e.g. 'NY'."
    )
    dates: list[date] = Field(default_factory=list, description="Your own extra dates.")


class ReminderSettings(_Section):
    schedule: str = "0 9 * * MON-FRI"
    due_soon_days: list[int] = Field(default_factory=lambda: [3, 0])
    overdue_every_days: int = Field(default=2, ge=1)
    escalate_after_days: int = Field(default=7, ge=1)
    escalation_address: str | None = None
    verification_reminders: bool = True
    quiet_days: list[str] = Field(
        default_factory=lambda: ["SAT", "SUN"], description="Weekdays with no reminders."
    )
    holidays: HolidaySettings = Field(default_factory=HolidaySettings)
    channels: list[Channel] = Field(default_factory=lambda: list[Channel](["email"]))
    email: EmailSettings = Field(default_factory=EmailSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)

    @field_validator("quiet_days")
    @classmethod
    def _weekday_names(cls, value: list[str]) -> list[str]:
        names = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
        out = [v.strip().upper()[:3] for v in value]
        bad = [v for v in out if v not in names]
        if bad:
            raise ValueError(f"unknown weekday {bad[0]!r}; use MON..SUN")
        return out

    @field_validator("holidays", mode="before")
    @classmethod
    def _dates_list(cls, value: Any) -> Any:
        """The older form `holidays = [2026-12-25]` means `[reminders.holidays] dates = [...]`."""
        return {"dates": value} if isinstance(value, list) else value

    @field_validator("escalation_address")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        value = value.strip() if value else None
        if value and not is_address(value):
            raise ValueError("not an e-mail address; write it like 'sre-leads@example.com'")
        return value


class SyncSettings(_Section):
    schedule: str = "*/15 * * * *"
    batch_size: int = Field(
        default=50,
        ge=1,
        le=50,
        description="Issues per bulk create request (Jira's maximum is 50).",
    )
    search_settle_seconds: float | None = Field(
        default=None,
        ge=0,
        description="After a lost create answer, wait this long for Jira's search to catch up "
        "before looking for the issue (default: 10 s on Cloud, 1 s on Data Center).",
    )


class ImportSettings(_Section):
    min_confidence: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="A found measure at or above this confidence becomes an action; below, "
        "a candidate to review (`import --review`), never silently dropped.",
    )


class ReportSettings(_Section):
    """The weekly report the scheduler e-mails (`capa-tracker report` for the same by hand)."""

    schedule: str = Field(
        default="0 8 * * MON",
        description="When `capa-tracker scheduler` e-mails the report (cron, policy.timezone).",
    )
    recipients: list[str] = Field(
        default_factory=list,
        description="Who gets it (e-mail addresses, sent over [reminders.email]); empty: nobody.",
    )
    since: str = Field(default="7d", description="The period the report covers: 7d, 30d, 2w.")
    team: str = Field(default="", description="Only this team's actions; empty: every team.")

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        out = [v.strip() for v in value if v.strip()]
        bad = [v for v in out if not is_address(v)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not an e-mail address")
        return out


class Settings(_Section):
    """The whole configuration. `source` is the file it came from, for error messages."""

    user: str = Field(
        default="",
        description="Who 'mine' is (list --mine, the dashboard); empty means the login name.",
    )
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    people: dict[str, PersonSettings] = Field(default_factory=dict)
    jira: JiraSettings = Field(default_factory=JiraSettings)
    reminders: ReminderSettings = Field(default_factory=ReminderSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    # `import` is a Python keyword: the TOML table [import] fills `import_`.
    import_: ImportSettings = Field(default_factory=ImportSettings, alias="import")
    source: str | None = Field(default=None, exclude=True)

    def secret(self, env_name: str) -> str | None:
        """Read a secret from the environment; the value is never stored on the settings."""
        value = os.environ.get(env_name)
        return value if value else None

    def channel_secret_problems(self) -> list[str]:
        """What the configured reminder channels need from the environment and do not get.

        One entry per missing variable, naming it; empty when every channel can run.
        """
        cfg = self.reminders
        channels = set(cfg.channels)
        problems: list[str] = []
        if "email" in channels and cfg.email.username and not self.secret(cfg.email.password_env):
            problems.append(
                f"reminders.email.username is set but ${cfg.email.password_env} is not "
                "(export it with the SMTP password)"
            )
        if "webhook" in channels and not self.secret(cfg.webhook.url_env):
            problems.append(
                f'reminders.channels has "webhook" but ${cfg.webhook.url_env} is not set '
                "(export it with the incoming-webhook URL)"
            )
        if "jira" in channels:
            if not self.jira.url:
                problems.append('reminders.channels has "jira" but jira.url is empty')
            elif not self.secret(self.jira.token_env):
                problems.append(
                    f'reminders.channels has "jira" but ${self.jira.token_env} is not set '
                    "(export it with the Jira API token)"
                )
        return problems

    def require_channel_secrets(self) -> None:
        """Refuse, in one line, a channel list that cannot deliver (see `channel_secret_problems`)."""
        problems = self.channel_secret_problems()
        if problems:
            where = f"{self.source}: " if self.source else ""
            raise ConfigError(where + "; ".join(problems))

    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{default_data_dir() / 'capa-tracker.db'}"


SECRET_ENV_KEYS = ("token_env", "password_env", "url_env")


def current_user(settings: Settings) -> str:
    """Who "mine" is: `user` from the config, else the login name; "" when neither is known."""
    if settings.user:
        return settings.user
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no LOGNAME/USER and no passwd entry (e.g. some containers)
        return ""


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def find_config_file(explicit: str | Path | None) -> Path | None:
    """Lookup order: --config, $CAPA_TRACKER_CONFIG, ./capa-tracker.toml, the user config dir."""
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found; check the --config path")
        return path
    env_path = os.environ.get(CONFIG_ENV)
    if env_path:
        path = Path(env_path).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: config file named by ${CONFIG_ENV} not found")
        return path
    for candidate in (Path.cwd() / CONFIG_FILE_NAME, default_config_dir() / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """CAPA_TRACKER_DATABASE__URL=... -> {"database": {"url": ...}}; values may be TOML literals."""
    tree: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX) :].split("__") if part]
        if not path:
            continue
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _env_value(raw)
    return tree


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _describe(error: Any) -> str:
    key = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{key}: unknown setting; check the spelling against config.example.toml"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{key}: {message} (got {error.get('input')!r})"


def load_settings(
    explicit: str | Path | None = None, *, environ: dict[str, str] | None = None
) -> Settings:
    """Read the config file (if any) and the environment into validated Settings."""
    env = dict(os.environ if environ is None else environ)
    path = find_config_file(explicit)
    data: dict[str, Any] = {}
    label = str(path) if path else "defaults"
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc})") from exc
    overrides = _env_overrides(env)
    if overrides:
        label = f"{label} + {ENV_PREFIX}* environment"
    try:
        settings = Settings.model_validate(_merge(data, overrides))
    except ValidationError as exc:
        raise ConfigError(f"{label}: {_describe(exc.errors()[0])}") from exc
    settings.source = str(path) if path else None
    return settings


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The effective settings for display: names of secret variables, and whether each is set."""
    data = settings.model_dump(mode="json", by_alias=True)
    for section in (data["jira"], data["reminders"]["email"], data["reminders"]["webhook"]):
        for key in SECRET_ENV_KEYS:
            if key in section:
                section[key.removesuffix("_env") + "_set"] = (
                    settings.secret(section[key]) is not None
                )
    url = data["database"]["url"] or settings.database_url()
    data["database"]["url"] = mask_url(url)
    return data


def mask_url(url: str) -> str:
    """Hide a password inside a database URL."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url
