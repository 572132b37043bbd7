"""People: which Jira user an owner is (config, cache, then a user search) and back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sync.client import JiraPort
from sync.errors import JiraRequestError
from tracker.config import Settings


def resolve_users(
    jira: JiraPort,
    settings: Settings,
    owners: Iterable[str],
    cache: dict[str, str],
    warnings: list[str],
) -> tuple[dict[str, str | None], bool]:
    """Owner -> Jira account id / user name: config, then cache, then one user search.

    Users found are added to `cache`; the flag says whether any was.
    """
    resolved: dict[str, str | None] = {}
    learned = False
    for owner in sorted(owners):
        person = settings.people.get(owner)
        if person is not None and person.jira:
            resolved[owner] = person.jira
        elif owner in cache:
            resolved[owner] = cache[owner]
        else:
            ref = search_user(jira, settings, owner, warnings)
            resolved[owner] = ref
            if ref is not None:
                cache[owner] = ref
                learned = True
    return resolved, learned


def search_user(jira: JiraPort, settings: Settings, owner: str, warnings: list[str]) -> str | None:
    """The Jira user for an owner: by e-mail or name; a single hit is taken as the one."""
    person = settings.people.get(owner)
    query = (person.email if person and person.email else owner).strip()
    try:
        found = jira.find_users(query)
    except JiraRequestError as exc:
        warnings.append(f"user search for {owner!r} failed: {exc}")
        return None
    cloud = settings.jira.deployment == "cloud"

    def ref(user: Mapping[str, Any]) -> str | None:
        value = user.get("accountId") if cloud else user.get("name")
        return str(value) if value else None

    wanted = {owner.casefold(), query.casefold()}
    for user in found:
        names = {
            str(user.get(k) or "").casefold()
            for k in ("emailAddress", "name", "displayName", "accountId", "key")
        }
        if wanted & names:
            return ref(user)
    return ref(found[0]) if len(found) == 1 else None


def owners_by_ref(settings: Settings, cache: Mapping[str, str]) -> dict[str, str]:
    """Jira account id / user name -> the owner as the tracker writes it."""
    out = {ref: owner for owner, ref in cache.items()}
    for name, person in settings.people.items():
        if person.jira:
            out[person.jira] = name
    return out
