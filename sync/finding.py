"""Finding issues in Jira: the pull search, issues our dead runs created (by marker) and
existing tickets that actions name (tracking_ref). Links found are stored at once."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sync.client import JiraPort
from sync.errors import JiraRequestError
from sync.mapping import (
    PROPERTY_KEY,
    PULL_FIELDS,
    MappingConfig,
    RemoteIssue,
    action_id_of_marker,
    jql_string,
    parse_issue,
)
from sync.planner import LinkState, adopted_base, existing_issue_base
from sync.store import StoredState, SyncStore
from tracker.config import JiraSettings
from tracker.models import utcnow

PULL_OVERLAP_MINUTES = 2
MARKERS_PER_SEARCH = {"cloud": 1000, "datacenter": 200}


class IssueFinder:
    def __init__(
        self,
        jira: JiraPort,
        cfg: JiraSettings,
        store: SyncStore,
        summary: Any,  # SyncSummary: warnings and linked are appended to
        *,
        dry_run: bool,
        settle: float,
        sleep: Callable[[float], None],
        say: Callable[[str], None],
        heartbeat: Callable[[], None],
    ) -> None:
        self.jira = jira
        self.cfg = cfg
        self.store = store
        self.summary = summary
        self.dry_run = dry_run
        self.settle = settle
        self.sleep = sleep
        self._say = say
        self.heartbeat = heartbeat

    def base_jql(self) -> str:
        return f"project = {jql_string(self.cfg.project)} AND labels = {jql_string(self.cfg.label)}"

    def pull_search(
        self, watermark: datetime | None, server_now: datetime, linked: set[str]
    ) -> dict[str, RemoteIssue]:
        jql = self.base_jql()
        if watermark is not None:
            minutes = math.ceil(max(0.0, (server_now - watermark).total_seconds()) / 60)
            jql += f' AND updated >= "-{minutes + PULL_OVERLAP_MINUTES}m"'
        jql += " ORDER BY updated ASC"
        self._say("pull: searching Jira for changed issues")
        found: dict[str, RemoteIssue] = {}
        for page in self.jira.search(jql, fields=PULL_FIELDS):
            for raw in page:
                issue = parse_issue(raw, self.cfg.deployment)
                if issue.key in linked:
                    found[issue.key] = issue
            self.heartbeat()
        return found

    def find_markers(
        self, action_ids: Sequence[int], instance_id: str
    ) -> dict[int, list[RemoteIssue]]:
        """Issues already carrying these actions' markers, confirmed by the entity property."""
        if not action_ids or not instance_id:
            return {}
        per = MARKERS_PER_SEARCH.get(self.cfg.deployment, 200)
        found: dict[int, list[RemoteIssue]] = {}
        wanted = set(action_ids)
        for start in range(0, len(action_ids), per):
            chunk = action_ids[start : start + per]
            markers = ", ".join(jql_string(f"capa-{i}") for i in chunk)
            jql = f"{self.base_jql()} AND labels in ({markers}) ORDER BY key ASC"
            for page in self.jira.search(jql, fields=PULL_FIELDS, properties=[PROPERTY_KEY]):
                for raw in page:
                    issue = parse_issue(raw, self.cfg.deployment)
                    prop = issue.prop or {}
                    aid = prop.get("action_id")
                    if prop.get("instance") != instance_id or aid not in wanted:
                        continue
                    if not any(action_id_of_marker(lb) == aid for lb in issue.labels):
                        continue
                    found.setdefault(int(aid), []).append(issue)
        for issues in found.values():
            issues.sort(key=lambda i: int(i.id) if i.id.isdigit() else 0)
        return found

    def wait_for_search(self, since: Iterable[datetime | None]) -> None:
        """Jira's search is eventually consistent: a create sent moments ago may not show yet."""
        latest = max((s for s in since if s is not None), default=None)
        if latest is None or self.settle <= 0:
            return
        remaining = self.settle - (utcnow() - latest).total_seconds()
        if remaining > 0:
            self._say(f"waiting {remaining:.1f}s for Jira's search to include recent creates")
            self.sleep(remaining)

    def adopt_orphans(
        self, state: StoredState, mapping: MappingConfig, remote: dict[str, RemoteIssue]
    ) -> None:
        candidates = [
            a.id
            for a in state.actions
            if not a.retired
            and (state.links.get(a.id) is None or state.links[a.id].jira_key is None)
        ]
        if not candidates or not state.instance_id:
            return
        self.wait_for_search(state.links[i].pending_since for i in candidates if i in state.links)
        found = self.find_markers(candidates, state.instance_id)
        for action_id, issues in sorted(found.items()):
            issue = issues[0]
            if len(issues) > 1:
                others = ", ".join(i.key for i in issues[1:])
                self.summary.warnings.append(
                    f"#{action_id} has more than one issue in Jira: linked {issue.key}, "
                    f"not {others} (close those by hand)"
                )
            base = adopted_base(issue, mapping)
            state.links[action_id] = LinkState(action_id, issue.key, issue.id, base)
            remote[issue.key] = issue
            self.summary.linked.append({"action_id": action_id, "key": issue.key})
            if not self.dry_run:
                self.store.store_link(action_id, issue.key, issue.id, base, pushed_fp=None)

    def link_existing(
        self, state: StoredState, mapping: MappingConfig, remote: dict[str, RemoteIssue]
    ) -> None:
        """An action whose tracking_ref is a key of the configured project (a post-mortem
        often lists OPS-77) is linked to that issue instead of getting a second one."""
        pattern = re.compile(rf"{re.escape(self.cfg.project)}-[1-9][0-9]*", re.IGNORECASE)
        taken = {link.jira_key for link in state.links.values() if link.jira_key}
        for action in state.actions:
            link = state.links.get(action.id)
            ref = (action.tracking_ref or "").strip().upper()
            if action.retired or (link and link.jira_key) or not pattern.fullmatch(ref):
                continue
            if ref in taken:
                self.summary.warnings.append(
                    f"#{action.id} names {ref} as its ticket, which is linked to another action; "
                    "a new issue is created for it"
                )
                continue
            try:
                raw = self.jira.get_issue(ref, PULL_FIELDS)
            except JiraRequestError as exc:
                if exc.status != 404:
                    raise
                self.summary.warnings.append(
                    f"#{action.id} names {ref} as its ticket, which Jira does not have; "
                    "a new issue is created for it"
                )
                continue
            issue = parse_issue(raw, self.cfg.deployment)
            base = existing_issue_base(action, issue, mapping)
            state.links[action.id] = LinkState(action.id, issue.key, issue.id, base)
            remote[issue.key] = issue
            taken.add(issue.key)
            self.summary.linked.append({"action_id": action.id, "key": issue.key})
            if not self.dry_run:
                self.store.store_link(action.id, issue.key, issue.id, base, pushed_fp=None)
