"""Workflow moves: which transition leads to a status class, and doing it safely.

Transitions are chosen by the status they lead to (name, then category), never by their own
name or id: workflows differ between sites. `wont_do` is a Done-category status with the
resolution jira.wont_do_resolution; `blocked` is the status jira.blocked_status when the workflow
has a transition to it, else the documented fallback, In Progress (plus the reason as a comment,
which the engine adds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sync.client import JiraPort
from sync.errors import JiraRequestError
from sync.mapping import MappingConfig, parse_issue, remote_status_class, status_words
from tracker.config import JiraSettings


def status_mapping(cfg: JiraSettings) -> MappingConfig:
    """The part of the mapping that reads and names statuses."""
    return MappingConfig(
        deployment=cfg.deployment,
        done_statuses=tuple(cfg.done_statuses),
        done_status=cfg.done_transition,
        wont_do_status=cfg.wont_do_transition,
        wont_do_resolution=cfg.wont_do_resolution,
        done_resolutions=tuple(cfg.done_resolutions),
        blocked_status=cfg.blocked_status,
    )


def move_issue(jira: JiraPort, cfg: JiraSettings, key: str, target: str) -> str:
    """Transition an issue to a status class, choosing transitions by their target status.

    Returns the class reached: `target`, or for `blocked` on a workflow without a
    transition to jira.blocked_status, the fallback `indeterminate` (In Progress).
    """
    tried_reopen = False
    wanted = target
    for _ in range(4):
        options = jira.transitions(key)
        chosen = choose_transition(options, wanted, cfg)
        if chosen is None and wanted == "blocked":
            wanted = "indeterminate"  # the documented fallback: In Progress + a comment
            chosen = choose_transition(options, wanted, cfg)
        if chosen is None and not tried_reopen and wanted in ("new", "indeterminate"):
            chosen = choose_transition(options, "new", cfg)
            tried_reopen = True
            final = False
        else:
            final = True
        if chosen is None:
            names = (
                ", ".join(f"{t.get('name')} -> {(t.get('to') or {}).get('name')}" for t in options)
                or "none"
            )
            raise JiraRequestError(
                f"no workflow transition leads to {status_words(wanted, status_mapping(cfg))} "
                f"(available: {names}); set jira.done_transition / jira.wont_do_transition "
                "/ jira.blocked_status to your status names"
            )
        transition_id, fields = chosen
        try:
            jira.transition_issue(key, transition_id, fields)
        except JiraRequestError as exc:
            if exc.outcome_known:
                raise
            # The answer was lost: look whether the move happened before trying again.
            now = parse_issue(jira.get_issue(key, ["status", "resolution"]), cfg.deployment)
            if final and remote_status_class(now, status_mapping(cfg)) == wanted:
                return wanted
            continue  # not moved (or a reopen step): ask for the transitions again
        if final:
            return wanted
    raise JiraRequestError(f"could not move {key} to {status_words(target, status_mapping(cfg))}")


def choose_transition(
    options: Sequence[Mapping[str, Any]], target: str, cfg: JiraSettings
) -> tuple[str, dict[str, Any] | None] | None:
    """(transition id, fields) leading to the status class `target`, or None.

    done: a status named jira.done_transition, else any Done-category status; wont_do: a status
    named jira.wont_do_transition, else a Done-category one, with resolution
    jira.wont_do_resolution; blocked: a status named jira.blocked_status.
    """

    def to(t: Mapping[str, Any]) -> tuple[str, str]:
        status = t.get("to") or {}
        category = (status.get("statusCategory") or {}).get("key") or ""
        return str(status.get("name") or "").casefold(), str(category)

    def named(name: str) -> Mapping[str, Any] | None:
        return next((t for t in options if name and to(t)[0] == name.casefold()), None)

    if target == "blocked":
        found = named(cfg.blocked_status)
        return (str(found["id"]), None) if found else None
    if target == "wont_do":
        resolution = {"resolution": {"name": cfg.wont_do_resolution}}
        found = named(cfg.wont_do_transition) or next(
            (t for t in options if to(t)[1] == "done"), None
        )
        return (str(found["id"]), resolution) if found else None
    if target == "done":
        found = named(cfg.done_transition)
        if found:
            return str(found["id"]), None
    blocked = cfg.blocked_status.casefold()
    for t in options:
        if to(t)[1] == target and to(t)[0] != blocked:
            return str(t["id"]), None
    return None
