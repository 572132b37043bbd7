"""The sync engine: reads both sides, asks the planner, then does the plan.

Order of a run: check the login; read the database; one JQL search for issues with our label
updated since the last successful pull (paged); one JQL search for the marker labels of the
actions about to be created (a run that died after a create left an issue we must link, not
duplicate); plan; then apply pulls locally, push edits and transitions, and create the rest in
bulk, 50 a request.

Idempotent creates: every created issue carries the label `capa-<action id>` (searchable) and an
entity property naming this tracker and the action (confirms the label is ours). Before a chunk
is sent, its actions get a SyncLink row with `pushed_at` set and no key: "create in flight". If
the answer is lost, the engine waits for Jira's search to settle, looks the markers up, links
what it finds and creates only the rest. A run killed anywhere finds the same rows next time.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.checks import check_site, checked_settings
from sync.client import JiraPort
from sync.errors import JiraRequestError, SyncError
from sync.mapping import (
    PROPERTY_KEY,
    PULL_FIELDS,
    CustomFieldRef,
    MappingConfig,
    RemoteIssue,
    action_id_of_marker,
    jql_string,
    parse_issue,
    parse_jira_time,
    remote_status_class,
    status_words,
)
from sync.planner import (
    CreateStep,
    LinkState,
    LinkStep,
    PlanContext,
    SyncPlan,
    adopted_base,
    existing_issue_base,
    owners_to_resolve,
    plan_sync,
)
from sync.store import KEEP, StoredState, SyncStore
from tracker import actions as domain
from tracker.config import JiraSettings, Settings
from tracker.db import session_scope
from tracker.models import utcnow
from tracker.policy import default_verify_by

DEFAULT_SETTLE = {"cloud": 10.0, "datacenter": 1.0}
PULL_OVERLAP_MINUTES = 2
MARKERS_PER_SEARCH = {"cloud": 1000, "datacenter": 200}
ACTOR = "jira"
LOCAL_BATCH = 200  # actions changed from Jira per local transaction

Progress = Callable[[str], None]


@dataclass
class SyncOptions:
    dry_run: bool = False
    push: bool = True
    pull: bool = True
    # Seconds to let Jira's search catch up before looking up creates whose answer was lost.
    settle_seconds: float | None = None
    progress: Progress | None = None


@dataclass
class SyncSummary:
    """What a run did. `requests` counts HTTP requests sent to Jira (retries included)."""

    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    pulled: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    linked: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    dry_run: bool = False
    requests: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, error: str, *, action_id: int | None = None, key: str | None = None) -> None:
        self.failures.append({"action_id": action_id, "key": key, "error": error})

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def settle_seconds(settings: Settings) -> float:
    """How long Jira's search may lag behind a create: the setting, else by deployment."""
    if settings.sync.search_settle_seconds is not None:
        return settings.sync.search_settle_seconds
    return DEFAULT_SETTLE.get(settings.jira.deployment, 10.0)


class SyncEngine:
    def __init__(
        self,
        db: Engine,
        jira: JiraPort,
        settings: Settings,
        options: SyncOptions | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        heartbeat: Callable[[], None] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.db = db
        self.jira = jira
        self.settings = settings
        self.cfg = settings.jira
        self.options = options or SyncOptions()
        self.sleep = sleep
        self.heartbeat = heartbeat or (lambda: None)
        self.summary = SyncSummary(dry_run=self.options.dry_run)
        self.settle = (
            self.options.settle_seconds
            if self.options.settle_seconds is not None
            else settle_seconds(settings)
        )
        self.store = SyncStore(db, f"{self.cfg.url.rstrip('/')}|{self.cfg.project}")
        self.today = today or date.today

    # ------------------------------------------------------------------ the run
    def run(self) -> SyncSummary:
        started = time.monotonic()
        try:
            self._run()
        finally:
            self.summary.requests = self.jira.requests
            self.summary.seconds = round(time.monotonic() - started, 3)
        return self.summary

    def _say(self, message: str) -> None:
        if self.options.progress is not None:
            self.options.progress(message)

    def _run(self) -> None:
        opts = self.options
        info = self.jira.connect()
        server_now = parse_jira_time(str(info.get("serverTime") or "")) or utcnow()
        state = self.store.load()
        mapping = self._mapping_config(self._check_site(state), state)

        remote: dict[str, RemoteIssue] = {}
        linked_keys = {k.jira_key for k in state.links.values() if k.jira_key}
        pulled_ok = True
        if opts.pull and (linked_keys or state.watermark is not None):
            remote = self._pull_search(state.watermark, server_now, linked_keys)

        if opts.push:
            self._adopt_orphans(state, mapping, remote)
            self._link_existing(state, mapping, remote)

        users = self._resolve_users(owners_to_resolve(state.actions, state.links), state)
        owners_by_ref = self._owners_by_ref(state.users)
        ctx = PlanContext(
            mapping=mapping,
            users=users,
            owners_by_ref=owners_by_ref,
            conflict_winner=dict(self.cfg.conflict_winner),
            push=opts.push,
            pull=opts.pull,
        )
        plan = plan_sync(state.actions, state.links, remote, ctx)
        self.summary.plan = plan.describe()
        self.summary.warnings.extend(plan.warnings)
        if opts.dry_run:
            self.summary.conflicts = [asdict(c) for c in plan.conflicts]
            return

        if not self._apply_links(plan, state, remote):
            pulled_ok = False
        if plan.creates:
            self._create_all(plan.creates, state, mapping)
        if opts.pull and pulled_ok:
            self.store.set_watermark(server_now)

    # ------------------------------------------------------------------ mapping inputs
    def _check_site(self, state: StoredState) -> dict[str, Any]:
        """The settings checked against the site before any write (kept until they change)."""
        if state.site.get("settings") == checked_settings(self.cfg):
            return state.site
        facts = check_site(self.jira, self.settings)
        if not self.options.dry_run:
            self.store.set_site(facts)
        return facts

    def _mapping_config(self, facts: Mapping[str, Any], state: StoredState) -> MappingConfig:
        cfg = self.cfg
        fields = facts.get("fields") or {}
        refs = [
            CustomFieldRef(str(fields[name][0]), attribute, str(fields[name][1]))
            for name, attribute in cfg.custom_fields.items()
            if name in fields
        ]
        return MappingConfig(
            deployment=cfg.deployment,
            project=cfg.project,
            issue_type=cfg.issue_type,
            label=cfg.label,
            priority_map=dict(cfg.priority_map),
            done_statuses=tuple(cfg.done_statuses),
            done_status=cfg.done_transition,
            wont_do_status=cfg.wont_do_transition,
            wont_do_resolution=cfg.wont_do_resolution,
            done_resolutions=tuple(cfg.done_resolutions),
            blocked_status=cfg.blocked_status,
            custom_fields=tuple(refs),
            instance_id=state.instance_id or "",
        )

    def _resolve_users(self, owners: Iterable[str], state: StoredState) -> dict[str, str | None]:
        """Owner -> Jira account id / user name: config, then cache, then one user search."""
        resolved: dict[str, str | None] = {}
        learned = False
        for owner in sorted(owners):
            person = self.settings.people.get(owner)
            if person is not None and person.jira:
                resolved[owner] = person.jira
            elif owner in state.users:
                resolved[owner] = state.users[owner]
            else:
                ref = self._search_user(owner)
                resolved[owner] = ref
                if ref is not None:
                    state.users[owner] = ref
                    learned = True
        if learned and not self.options.dry_run:
            self.store.set_users(state.users)
        return resolved

    def _search_user(self, owner: str) -> str | None:
        person = self.settings.people.get(owner)
        query = (person.email if person and person.email else owner).strip()
        try:
            found = self.jira.find_users(query)
        except JiraRequestError as exc:
            self.summary.warnings.append(f"user search for {owner!r} failed: {exc}")
            return None
        cloud = self.cfg.deployment == "cloud"

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

    def _owners_by_ref(self, cache: Mapping[str, str]) -> dict[str, str]:
        out = {ref: owner for owner, ref in cache.items()}
        for name, person in self.settings.people.items():
            if person.jira:
                out[person.jira] = name
        return out

    # ------------------------------------------------------------------ searching
    def _base_jql(self) -> str:
        return f"project = {jql_string(self.cfg.project)} AND labels = {jql_string(self.cfg.label)}"

    def _pull_search(
        self, watermark: datetime | None, server_now: datetime, linked: set[str]
    ) -> dict[str, RemoteIssue]:
        jql = self._base_jql()
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

    def _find_markers(
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
            jql = f"{self._base_jql()} AND labels in ({markers}) ORDER BY key ASC"
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

    def _wait_for_search(self, since: Iterable[datetime | None]) -> None:
        """Jira's search is eventually consistent: a create sent moments ago may not show yet."""
        latest = max((s for s in since if s is not None), default=None)
        if latest is None or self.settle <= 0:
            return
        remaining = self.settle - (utcnow() - latest).total_seconds()
        if remaining > 0:
            self._say(f"waiting {remaining:.1f}s for Jira's search to include recent creates")
            self.sleep(remaining)

    def _adopt_orphans(
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
        self._wait_for_search(state.links[i].pending_since for i in candidates if i in state.links)
        found = self._find_markers(candidates, state.instance_id)
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
            if not self.options.dry_run:
                self.store.store_link(action_id, issue.key, issue.id, base, pushed_fp=None)

    def _link_existing(
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
            if not self.options.dry_run:
                self.store.store_link(action.id, issue.key, issue.id, base, pushed_fp=None)

    # ------------------------------------------------------------------ linked actions
    def _apply_links(
        self, plan: SyncPlan, state: StoredState, remote: Mapping[str, RemoteIssue]
    ) -> bool:
        """Pull then push per linked action. False when a pull could not be applied."""
        pulls_ok = True
        local_only = [s for s in plan.links if not (s.has_push or s.push_base)]
        with_push = [s for s in plan.links if s.has_push or s.push_base]
        # Changes from Jira alone: many actions per transaction, one savepoint each.
        for start in range(0, len(local_only), LOCAL_BATCH):
            with session_scope(self.db) as session:
                for step in local_only[start : start + LOCAL_BATCH]:
                    link = state.links[step.action_id]
                    issue = remote.get(step.key)
                    agreed = {**link.base, **step.pull_base}
                    try:
                        with session.begin_nested():
                            self._apply_pull(session, step)
                            self.store.save_base(
                                step.action_id,
                                agreed,
                                pulled_fp=step.pulled_fingerprint,
                                remote_updated=issue.updated if issue else None,
                                warning=step.warning if step.warning_changed else KEEP,
                                session=session,
                            )
                    except (domain.ActionError, SyncError) as exc:
                        pulls_ok = False
                        self._pull_failed(step, exc)
                        continue
                    self._pulled(step)
            self.heartbeat()
        for step in with_push:
            if not self._pull_then_push(step, state, remote):
                pulls_ok = False
        return pulls_ok

    def _pull_failed(self, step: LinkStep, exc: Exception) -> None:
        self.summary.fail(
            f"cannot apply {step.key} locally: {exc}", action_id=step.action_id, key=step.key
        )

    def _pulled(self, step: LinkStep) -> None:
        if step.has_pull:
            changes = dict(step.pull_changes)
            if step.pull_status:
                changes["status"] = step.pull_status
            self.summary.pulled.append(
                {"action_id": step.action_id, "key": step.key, "changes": _jsonable(changes)}
            )
        self.summary.conflicts.extend(asdict(c) for c in step.conflicts)

    def _pull_then_push(
        self, step: LinkStep, state: StoredState, remote: Mapping[str, RemoteIssue]
    ) -> bool:
        base = dict(state.links[step.action_id].base)
        issue = remote.get(step.key)
        if step.has_pull or step.conflicts or step.pull_base:
            try:
                with session_scope(self.db) as session:
                    self._apply_pull(session, step)
            except (domain.ActionError, SyncError) as exc:
                self._pull_failed(step, exc)
                return False
            base.update(step.pull_base)
            self._pulled(step)
        error = self._push(step, base)
        if error is None:
            if step.has_push:
                self.summary.updated.append(
                    {"action_id": step.action_id, "key": step.key, "fields": step.pushed}
                )
        else:
            self.summary.fail(error, action_id=step.action_id, key=step.key)
        self.store.save_base(
            step.action_id,
            base,
            pushed_fp=step.pushed_fingerprint if error is None else None,
            pulled_fp=step.pulled_fingerprint,
            remote_updated=issue.updated if issue else None,
            error=error,
            warning=step.warning if step.warning_changed else KEEP,
        )
        return True

    def _apply_pull(self, s: Session, step: LinkStep) -> None:
        """Conflicts as events, then Jira's values through the domain operations."""
        for c in step.conflicts:
            domain.record_event(
                s,
                step.action_id,
                kind="conflict",
                actor=ACTOR,
                source="jira",
                field=c.field,
                old=c.local,
                new=c.remote,
                note=f"changed in the tracker and in Jira ({c.key}); {c.winner} wins",
            )
        if step.pull_changes:
            domain.update_action(
                s, step.action_id, step.pull_changes, actor=ACTOR, source="jira", note=step.key
            )
        if step.pull_status:
            current = domain.get_action(s, step.action_id)
            for target in _local_path(current.status, step.pull_status):
                domain.transition(
                    s,
                    step.action_id,
                    target,
                    actor=ACTOR,
                    source="jira",
                    reason=step.pull_reason if target in ("wont_do", "blocked") else None,
                    note=step.key,
                    # A done from Jira sets verify_by as a done in the tracker does.
                    verify_by=(
                        default_verify_by(self.today(), self.settings.policy.verify_after_days)
                        if target == "done" and current.verify_by is None
                        else None
                    ),
                )

    def _push(self, step: LinkStep, base: dict[str, Any]) -> str | None:
        """Edit and transition one issue; updates `base` with what Jira took. Error or None."""
        status_base = step.push_base.get("status")
        others = {k: v for k, v in step.push_base.items() if k != "status"}
        try:
            if step.fields or step.update:
                body: dict[str, Any] = {}
                if step.fields:
                    body["fields"] = step.fields
                if step.update:
                    body["update"] = step.update
                self.jira.edit_issue(step.key, body)
            base.update(others)
            if status_base is not None and step.transition_to:
                reached = self._move(step.key, step.transition_to)
                base["status"] = {**status_base, "remote": reached}
                if step.comment:
                    self.jira.add_comment(step.key, step.comment)
            elif status_base is not None:
                base["status"] = status_base
        except JiraRequestError as exc:
            return f"{step.key}: {exc}"
        return None

    def _move(self, key: str, target: str) -> str:
        """Transition an issue to a status class, choosing transitions by their target status.

        Returns the class reached: `target`, or for `blocked` on a workflow without a
        transition to jira.blocked_status, the fallback `indeterminate` (In Progress).
        """
        tried_reopen = False
        wanted = target
        for _ in range(4):
            options = self.jira.transitions(key)
            chosen = _choose_transition(options, wanted, self.cfg)
            if chosen is None and wanted == "blocked":
                wanted = "indeterminate"  # the documented fallback: In Progress + a comment
                chosen = _choose_transition(options, wanted, self.cfg)
            if chosen is None and not tried_reopen and wanted in ("new", "indeterminate"):
                chosen = _choose_transition(options, "new", self.cfg)
                tried_reopen = True
                final = False
            else:
                final = True
            if chosen is None:
                names = (
                    ", ".join(
                        f"{t.get('name')} -> {(t.get('to') or {}).get('name')}" for t in options
                    )
                    or "none"
                )
                raise JiraRequestError(
                    f"no workflow transition leads to {status_words(wanted, self._mapping_stub())} "
                    f"(available: {names}); set jira.done_transition / jira.wont_do_transition "
                    "/ jira.blocked_status to your status names"
                )
            transition_id, fields = chosen
            try:
                self.jira.transition_issue(key, transition_id, fields)
            except JiraRequestError as exc:
                if exc.outcome_known:
                    raise
                # The answer was lost: look whether the move happened before trying again.
                now = parse_issue(
                    self.jira.get_issue(key, ["status", "resolution"]), self.cfg.deployment
                )
                if final and remote_status_class(now, self._mapping_stub()) == wanted:
                    return wanted
                continue  # not moved (or a reopen step): ask for the transitions again
            if final:
                return wanted
        raise JiraRequestError(
            f"could not move {key} to {status_words(target, self._mapping_stub())}"
        )

    def _mapping_stub(self) -> MappingConfig:
        return MappingConfig(
            deployment=self.cfg.deployment,
            done_statuses=tuple(self.cfg.done_statuses),
            done_status=self.cfg.done_transition,
            wont_do_status=self.cfg.wont_do_transition,
            wont_do_resolution=self.cfg.wont_do_resolution,
            done_resolutions=tuple(self.cfg.done_resolutions),
            blocked_status=self.cfg.blocked_status,
        )

    # ------------------------------------------------------------------ creates
    def _ensure_instance(self, state: StoredState) -> str:
        if not state.instance_id:
            state.instance_id = uuid.uuid4().hex
            self.store.set_instance(state.instance_id)
        return state.instance_id

    def _create_all(
        self, creates: list[CreateStep], state: StoredState, mapping: MappingConfig
    ) -> None:
        instance = self._ensure_instance(state)
        for step in creates:  # the planner ran before the instance id may have existed
            for prop in step.payload.get("properties", []):
                prop["value"]["instance"] = instance
        size = max(1, min(50, self.settings.sync.batch_size))
        for start in range(0, len(creates), size):
            chunk = creates[start : start + size]
            self._say(f"push: creating issues {start + 1}-{start + len(chunk)} of {len(creates)}")
            self._create_chunk(chunk, instance, mapping)
            self.heartbeat()

    def _create_chunk(self, chunk: list[CreateStep], instance: str, mapping: MappingConfig) -> None:
        pending = list(chunk)
        attempts = 0
        while pending:
            self.store.mark_in_flight([c.action_id for c in pending])
            try:
                result = self.jira.create_issues([c.payload for c in pending])
            except JiraRequestError as exc:
                if exc.outcome_known or attempts >= max(1, self.cfg.max_retries):
                    for c in pending:
                        self.store.link_error(
                            c.action_id, str(exc), clear_pending=exc.outcome_known
                        )
                        self.summary.fail(str(exc), action_id=c.action_id)
                    return
                attempts += 1
                # Some or all may exist now. Let the search catch up, link what is there.
                self.sleep(self.settle)
                try:
                    found = self._find_markers([c.action_id for c in pending], instance)
                except JiraRequestError as search_exc:
                    for c in pending:
                        self.store.link_error(c.action_id, str(search_exc))
                        self.summary.fail(str(search_exc), action_id=c.action_id)
                    return
                rest = []
                for c in pending:
                    issues = found.get(c.action_id)
                    if issues:
                        self._created(c, issues[0].id, issues[0].key, adopted=True)
                    else:
                        rest.append(c)
                pending = rest
                continue
            for position, c in enumerate(pending):
                if position in result.created:
                    jira_id, key = result.created[position]
                    self._created(c, jira_id, key)
                else:
                    error = result.errors.get(position, "not created")
                    self.store.link_error(
                        c.action_id, f"create refused: {error}", clear_pending=True
                    )
                    self.summary.fail(f"create refused: {error}", action_id=c.action_id)
            return

    def _created(self, step: CreateStep, jira_id: str, key: str, *, adopted: bool = False) -> None:
        base = dict(step.base)
        self.store.store_link(
            step.action_id,
            key,
            jira_id,
            base,
            pushed_fp=step.pushed_fingerprint,
            warning=step.warning,
        )
        self.summary.created.append({"action_id": step.action_id, "key": key})
        if step.transition_to:
            try:
                reached = self._move(key, step.transition_to)
                base["status"] = {"local": step.status, "remote": reached}
                self.store.save_base(step.action_id, base)
                if step.comment:
                    self.jira.add_comment(key, step.comment)
            except JiraRequestError as exc:
                error = f"{key}: {exc}"
                self.store.save_base(step.action_id, base, error=error)
                self.summary.fail(error, action_id=step.action_id, key=key)


def _local_path(current: str, target: str) -> list[str]:
    """Local transitions to reach `target` (through `open` when there is no direct move)."""
    if current == target:
        return []
    allowed = domain.TRANSITIONS.get(current, frozenset())
    if target in allowed:
        return [target]
    if "open" in allowed and target in domain.TRANSITIONS["open"]:
        return ["open", target]
    raise SyncError(f"cannot move the action from {current} to {target}")


def _choose_transition(
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


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
