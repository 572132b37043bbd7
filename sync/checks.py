"""Settings checked against the Jira site before the sync writes anything.

Offline (`check_offline`): every `jira.custom_fields` value names an action attribute.
Online (`check_site`): the project exists, the issue type belongs to it, every configured
custom field exists, the resolution names (`jira.wont_do_resolution`, `jira.done_resolutions`)
exist. A wrong setting raises `SyncConfigError` (exit 2) naming the setting; nothing is written.

The facts found (custom field ids and kinds) are kept per site with a fingerprint of the
settings they answer, so a sync re-checks only when the site or those settings change: the
idle sync stays at three requests, and the field list is read once per site.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.client import JiraPort
from sync.errors import JiraRequestError, SyncConfigError
from sync.mapping import ATTRIBUTES, field_kind, fingerprint
from tracker.config import JiraSettings, Settings


def checked_settings(cfg: JiraSettings) -> str:
    """Fingerprint of the settings the site check answers (a change means: check again)."""
    return fingerprint(
        {
            "project": cfg.project,
            "issue_type": cfg.issue_type,
            "custom_fields": dict(cfg.custom_fields),
            "wont_do_resolution": cfg.wont_do_resolution,
            "done_resolutions": list(cfg.done_resolutions),
        }
    )


def check_offline(settings: Settings) -> None:
    """What can be checked without Jira: custom fields map known attributes."""
    for name, attribute in settings.jira.custom_fields.items():
        if attribute not in ATTRIBUTES:
            where = settings.source or "the configuration"
            raise SyncConfigError(
                f"{where}: jira.custom_fields {name!r} = {attribute!r} is not an action "
                f"attribute; use one of {', '.join(sorted(ATTRIBUTES))}"
            )


def _names(items: Any) -> list[str]:
    return [str(i.get("name")) for i in items or [] if isinstance(i, Mapping) and i.get("name")]


def check_site(jira: JiraPort, settings: Settings) -> dict[str, Any]:
    """Check the settings against the site; the facts to keep (custom field ids and kinds)."""
    check_offline(settings)
    cfg = settings.jira
    site = cfg.url.rstrip("/")
    try:
        project = jira.project(cfg.project)
    except JiraRequestError as exc:
        if exc.status == 404:
            raise SyncConfigError(
                f"jira.project {cfg.project!r} does not exist on {site} "
                "(or this account cannot see it); set jira.project to a project key"
            ) from None
        raise
    types = _names(project.get("issueTypes"))
    if cfg.issue_type not in types:
        raise SyncConfigError(
            f"jira.issue_type {cfg.issue_type!r} is not an issue type of project {cfg.project}; "
            f"use one of: {', '.join(types) or '(none)'}"
        )
    resolutions = _names(jira.resolutions())
    known = {r.casefold() for r in resolutions}
    if cfg.wont_do_resolution.casefold() not in known:
        raise SyncConfigError(
            f"jira.wont_do_resolution {cfg.wont_do_resolution!r} is not a resolution on {site}; "
            f"use one of: {', '.join(resolutions)}"
        )
    for name in cfg.done_resolutions:
        if name.casefold() not in known:
            raise SyncConfigError(
                f"jira.done_resolutions names {name!r}, which is not a resolution on {site}; "
                f"use some of: {', '.join(resolutions)}"
            )
    fields: dict[str, list[str]] = {}
    if cfg.custom_fields:
        listing = {
            str(f.get("name")): f for f in jira.fields() if isinstance(f, Mapping) and f.get("id")
        }
        for name in cfg.custom_fields:
            found = listing.get(name)
            if found is None:
                raise SyncConfigError(
                    f"jira.custom_fields names {name!r}, which is not a field on {site}; "
                    "use the field's name as Jira shows it"
                )
            fields[name] = [str(found["id"]), field_kind(found.get("schema"))]
    return {
        "settings": checked_settings(cfg),
        "project": str(project.get("name") or cfg.project),
        "fields": fields,
        "resolutions": resolutions,
    }


def check_online(settings: Settings) -> list[str]:
    """`config check --online`: log in and run the same checks as the sync; lines to show."""
    from sync.client import build_gateway

    check_offline(settings)
    gateway = build_gateway(settings)
    info = gateway.connect()
    facts = check_site(gateway, settings)
    cfg = settings.jira
    me = info.get("_myself") or {}
    who = me.get("emailAddress") or me.get("name") or me.get("displayName") or "?"
    lines = [
        f"Jira OK: {cfg.url} ({info.get('deploymentType') or cfg.deployment}, "
        f"version {info.get('version') or '?'}), logged in as {who}",
        f"  project {cfg.project} ({facts['project']}), issue type {cfg.issue_type}",
        f"  resolutions: won't do = {cfg.wont_do_resolution}, "
        f"done = {', '.join(cfg.done_resolutions)}",
    ]
    lines += [
        f"  custom field {name!r} -> {facts['fields'][name][0]} ({facts['fields'][name][1]}) "
        f"= {attribute}"
        for name, attribute in cfg.custom_fields.items()
    ]
    return lines
