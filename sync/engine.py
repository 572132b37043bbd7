"""The sync engine: reads both sides, asks the planner, then does the plan.

Order of a run: check the login; read the database; check the settings against the site
(project, issue type, resolutions, custom fields; once per site and settings, see sync/checks.py)
before anything is written; one JQL search for issues with our label updated since the last
successful pull (paged); one JQL search for the marker labels of the actions about to be created
(a run that died after a create left an issue we must link, not duplicate) and a look-up of
tickets that actions name as their tracking_ref (sync/finding.py); plan (sync/planner.py); then
apply pulls locally, push edits and transitions (sync/workflow.py), and create the rest in bulk,
50 a request. Rows are read and written through sync/store.py.

Idempotent creates: every created issue carries the label `capa-<action id>` (searchable) and an
entity property naming this tracker and the action (confirms the label is ours). Before a chunk
is sent, its actions get a SyncLink row with `pushed_at` set and no key: "create in flight". If
the answer is lost, the engine waits for Jira's search to settle, looks the markers up, links
what it finds and creates only the rest. A run killed anywhere finds the same rows next time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.checks import check_site, checked_settings
from sync.client import JiraPort
from sync.errors import JiraRequestError, SyncError
from sync.finding import IssueFinder
from sync.mapping import (
    CustomFieldRef,
    MappingConfig,
    RemoteIssue,
    parse_jira_time,
)
from sync.people import owners_by_ref, resolve_users
from sync.planner import (
    CreateStep,
    LinkStep,
    PlanContext,
    SyncPlan,
    owners_to_resolve,
    plan_sync,
)
from sync.store import KEEP, StoredState, SyncStore
from sync.workflow import move_issue
from tracker import actions as domain
from tracker.config import Settings
from tracker.db import session_scope
from tracker.models import utcnow
from tracker.vocabulary import REASON_STATUSES, default_verify_by

DEFAULT_SETTLE = {"cloud": 10.0, "datacenter": 1.0}
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
        self.finder = IssueFinder(
            jira,
            self.cfg,
            self.store,
            self.summary,
            dry_run=self.options.dry_run,
            settle=self.settle,
            sleep=self.sleep,
            say=self._say,
            heartbeat=self.heartbeat,
        )

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
            remote = self.finder.pull_search(state.watermark, server_now, linked_keys)

        if opts.push:
            self.finder.adopt_orphans(state, mapping, remote)
            self.finder.link_existing(state, mapping, remote)

        owners = owners_to_resolve(state.actions, state.links)
        users, learned = resolve_users(
            self.jira, self.settings, owners, state.users, self.summary.warnings
        )
        if learned and not opts.dry_run:
            self.store.set_users(state.users)
        ctx = PlanContext(
            mapping=mapping,
            users=users,
            owners_by_ref=owners_by_ref(self.settings, state.users),
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
                    reason=step.pull_reason if target in REASON_STATUSES else None,
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
                reached = move_issue(self.jira, self.cfg, step.key, step.transition_to)
                base["status"] = {**status_base, "remote": reached}
                if step.comment:
                    self.jira.add_comment(step.key, step.comment)
            elif status_base is not None:
                base["status"] = status_base
        except JiraRequestError as exc:
            return f"{step.key}: {exc}"
        return None

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
                    found = self.finder.find_markers([c.action_id for c in pending], instance)
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
                reached = move_issue(self.jira, self.cfg, key, step.transition_to)
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


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
