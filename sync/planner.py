"""Pure sync planning: local actions + their links + remote issues -> what to do on each side.

For each linked action the planner compares both sides with the values last agreed with Jira
(`SyncLink.base_json`): a field changed locally is pushed, a field changed in Jira is pulled,
and a field changed on both sides to different values is a conflict that the configured side
wins. Only the fields the tracker owns and that changed since the last push are sent.

The base is a flat JSON object: `f:<jira field>` -> the value last pushed for fields the tracker
owns; `status` / `owner` / `due_date` -> {"local": ..., "remote": ...} for the fields that flow
both ways (status as new / indeterminate / done / wont_do on the Jira side, owner as the Jira
account id or user name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sync.mapping import (
    CLASS_TO_LOCAL,
    TWO_WAY,
    ActionRecord,
    MappingConfig,
    RemoteIssue,
    create_payload,
    fingerprint,
    labels_update,
    local_status_class,
    local_two_way,
    marker_label,
    owner_from_remote,
    push_fields,
    remote_two_way,
    status_words,
    user_ref,
)

UNKNOWN = "\x00unknown"  # a base value that never equals a real one: "this side wins"
_MISSING = object()


@dataclass(frozen=True)
class LinkState:
    """What the database knows about one action's issue."""

    action_id: int
    jira_key: str | None = None
    jira_id: str | None = None
    base: Mapping[str, Any] = field(default_factory=dict)
    # A create was sent at this time and its answer never came back (or was never committed).
    pending_since: datetime | None = None
    warning: str | None = None  # the sync warning stored on the link


@dataclass(frozen=True)
class PlanContext:
    mapping: MappingConfig
    users: Mapping[str, str | None] = field(default_factory=dict)  # owner -> Jira ref
    owners_by_ref: Mapping[str, str] = field(default_factory=dict)  # Jira ref -> owner
    conflict_winner: Mapping[str, str] = field(
        default_factory=lambda: {"status": "jira", "due_date": "tracker", "owner": "jira"}
    )
    push: bool = True
    pull: bool = True


@dataclass
class CreateStep:
    action_id: int
    title: str
    marker: str
    payload: dict[str, Any]
    status: str  # the local status: a transition follows the create unless it maps to "new"
    transition_to: str | None
    base: dict[str, Any]
    pushed_fingerprint: str
    comment: str | None = None  # added after the transition (the reason of a wont_do)
    warning: str | None = None


@dataclass
class Conflict:
    action_id: int
    key: str
    field: str
    local: Any
    remote: Any
    winner: str  # "jira" | "tracker"

    def describe(self) -> str:
        kept = self.remote if self.winner == "jira" else self.local
        return (
            f"#{self.action_id} {self.key} {self.field}: tracker {_show(self.local)!s}, "
            f"Jira {_show(self.remote)!s}; {self.winner} wins -> {_show(kept)}"
        )


@dataclass
class LinkStep:
    """Everything to do for one linked action."""

    action_id: int
    key: str
    jira_id: str | None
    fields: dict[str, Any] = field(default_factory=dict)  # edit: fields
    update: dict[str, Any] = field(default_factory=dict)  # edit: update (labels add/remove)
    transition_to: str | None = None  # target class in Jira
    pushed: list[str] = field(default_factory=list)  # names of what is pushed
    pull_status: str | None = None
    pull_reason: str | None = None
    pull_changes: dict[str, Any] = field(default_factory=dict)  # owner, due_date
    conflicts: list[Conflict] = field(default_factory=list)
    pull_base: dict[str, Any] = field(default_factory=dict)  # store once applied locally
    push_base: dict[str, Any] = field(default_factory=dict)  # store once Jira took it
    pushed_fingerprint: str | None = None
    pulled_fingerprint: str | None = None
    comment: str | None = None  # added after the transition (why: won't do, blocked)
    warning: str | None = None  # the link's sync warning after this run
    warning_changed: bool = False

    @property
    def has_push(self) -> bool:
        return bool(self.fields or self.update or self.transition_to)

    @property
    def has_pull(self) -> bool:
        return self.pull_status is not None or bool(self.pull_changes)

    @property
    def has_work(self) -> bool:
        return (
            self.has_push
            or self.has_pull
            or bool(self.pull_base)
            or bool(self.push_base)
            or self.warning_changed
        )


@dataclass
class SyncPlan:
    creates: list[CreateStep] = field(default_factory=list)
    links: list[LinkStep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: MappingConfig = field(default_factory=MappingConfig)  # for status names

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for step in self.links for c in step.conflicts]

    @property
    def pushes(self) -> list[LinkStep]:
        return [s for s in self.links if s.has_push]

    @property
    def pulls(self) -> list[LinkStep]:
        return [s for s in self.links if s.has_pull]

    def describe(self) -> list[str]:
        """One line per thing that would happen (the dry run prints these)."""
        lines = [f"create #{c.action_id} {c.title!r}" for c in self.creates]
        words = self.mapping
        lines += [
            f"  then move #{c.action_id} to {status_words(c.transition_to, words)}"
            for c in self.creates
            if c.transition_to
        ]
        for step in self.links:
            names = [n for n in step.pushed if n != "status"]
            if names:
                lines.append(f"update {step.key} (#{step.action_id}): {', '.join(names)}")
            if step.transition_to:
                lines.append(
                    f"move {step.key} (#{step.action_id}) to "
                    f"{status_words(step.transition_to, words)}"
                )
            if step.pull_status:
                lines.append(f"pull {step.key} -> #{step.action_id}: status {step.pull_status}")
            for name, value in step.pull_changes.items():
                lines.append(f"pull {step.key} -> #{step.action_id}: {name} {_show(value)}")
            lines += [f"conflict {c.describe()}" for c in step.conflicts]
        lines += [f"warning: {w}" for w in self.warnings]
        return lines


def _show(value: Any) -> str:
    if value is None or value == UNKNOWN:
        return "(none)"
    return value.isoformat() if isinstance(value, date) else str(value)


def owners_to_resolve(actions: Iterable[ActionRecord], links: Mapping[int, LinkState]) -> set[str]:
    """Owners whose Jira user is needed: new issues, and owners changed since the last push."""
    wanted: set[str] = set()
    for action in actions:
        if not action.owner:
            continue
        link = links.get(action.id)
        if link is None or link.jira_key is None:
            if not action.retired:
                wanted.add(action.owner)
            continue
        agreed = (link.base.get("owner") or {}).get("local", UNKNOWN)
        if agreed != action.owner:
            wanted.add(action.owner)
    return wanted


def adopted_base(issue: RemoteIssue, cfg: MappingConfig) -> dict[str, Any]:
    """Base for an issue found by its marker (created by a run that died before committing):
    nothing is agreed on the tracker side, so the tracker's values are pushed once."""
    remote = remote_two_way(issue, cfg)
    return {name: {"local": UNKNOWN, "remote": remote[name]} for name in TWO_WAY}


def plan_sync(
    actions: Iterable[ActionRecord],
    links: Mapping[int, LinkState],
    remote: Mapping[str, RemoteIssue],
    ctx: PlanContext,
) -> SyncPlan:
    """Decide creates, pushes, pulls and conflicts. `remote` holds the issues Jira reported as
    changed (by key); a linked issue not in it is taken as unchanged since the last sync."""
    plan = SyncPlan(mapping=ctx.mapping)
    warned: set[str] = set()
    for action in sorted(actions, key=lambda a: a.id):
        link = links.get(action.id)
        if link is None or link.jira_key is None:
            if ctx.push and not action.retired:
                plan.creates.append(_create(action, ctx, plan, warned))
            continue
        step = _link_step(action, link, remote.get(link.jira_key), ctx, plan, warned)
        if step.has_work:
            plan.links.append(step)
    return plan


def _resolve(owner: str | None, ctx: PlanContext, plan: SyncPlan, warned: set[str]) -> str | None:
    if not owner:
        return None
    ref = ctx.users.get(owner)
    if ref is None and owner not in warned:
        warned.add(owner)
        plan.warnings.append(f"{owner_warning(owner)}; the sync looks again on every run")
    return ref


def owner_warning(owner: str) -> str:
    return (
        f"no Jira user found for owner {owner!r}: the issue is unassigned "
        f"(set people.{owner!r}.jira to the account id or user name)"
    )


def _warning_for(action: ActionRecord, ctx: PlanContext, warned: set[str]) -> str | None:
    """The link's sync warning: the owner has no Jira user (looked up this run)."""
    if action.owner and action.owner in warned and ctx.users.get(action.owner) is None:
        return owner_warning(action.owner)
    return None


def _status_comment(action: ActionRecord, status_class: str) -> str | None:
    """A comment that says why, added with a move to Won't Do or Blocked."""
    reason = (action.status_reason or "").strip()
    if status_class == "wont_do":
        return f"Won't do (capa-tracker #{action.id}): {reason or 'no reason given'}"
    if status_class == "blocked" and reason:
        return f"Blocked (capa-tracker #{action.id}): {reason}"
    return None


def _create(action: ActionRecord, ctx: PlanContext, plan: SyncPlan, warned: set[str]) -> CreateStep:
    cfg = ctx.mapping
    ref = _resolve(action.owner, ctx, plan, warned)
    desired = push_fields(action, cfg)
    status_class = local_status_class(action.status)
    local = local_two_way(action)
    base: dict[str, Any] = {f"f:{k}": v for k, v in desired.items()}
    base["status"] = {
        # Until the follow-up transition lands, the status counts as not yet pushed.
        "local": action.status if status_class == "new" else UNKNOWN,
        "remote": "new",
    }
    # An owner with no Jira user stays "not agreed": every run looks for the user again.
    base["owner"] = {"local": action.owner if ref or not action.owner else UNKNOWN, "remote": ref}
    base["due_date"] = {"local": local["due_date"], "remote": local["due_date"]}
    transition_to = None if status_class == "new" else status_class
    return CreateStep(
        action_id=action.id,
        title=action.title,
        marker=marker_label(action.id),
        payload=create_payload(action, cfg, ref),
        status=action.status,
        transition_to=transition_to,
        base=base,
        pushed_fingerprint=fingerprint({**desired, **local}),
        comment=_status_comment(action, transition_to) if transition_to else None,
        warning=_warning_for(action, ctx, warned),
    )


def _equivalent(name: str, local: Any, remote: Any, ctx: PlanContext) -> bool:
    if name == "status":
        return bool(local_status_class(str(local)) == remote)
    if name == "owner":
        return (local is None and remote is None) or (
            local is not None and ctx.users.get(local) == remote and remote is not None
        )
    return bool(local == remote)


def _link_step(
    action: ActionRecord,
    link: LinkState,
    issue: RemoteIssue | None,
    ctx: PlanContext,
    plan: SyncPlan,
    warned: set[str],
) -> LinkStep:
    assert link.jira_key is not None
    cfg = ctx.mapping
    base = dict(link.base)
    step = LinkStep(action.id, link.jira_key, link.jira_id)
    local = local_two_way(action)
    remote_now = remote_two_way(issue, cfg) if (issue is not None and ctx.pull) else None
    desired = push_fields(action, cfg)
    step.pushed_fingerprint = fingerprint({**desired, **local})
    if remote_now is not None:
        step.pulled_fingerprint = fingerprint(remote_now)

    if ctx.push:
        for fid, value in desired.items():
            key = f"f:{fid}"
            before = base.get(key, _MISSING)
            if before == value:
                continue
            if fid == "labels":
                old = before if isinstance(before, list) else []
                ops = (
                    labels_update(old, value)
                    if before is not _MISSING
                    else [{"add": label} for label in value]
                )
                if ops:
                    step.update["labels"] = ops
            else:
                step.fields[fid] = value
            step.push_base[key] = value
            step.pushed.append(fid)

    for name in TWO_WAY:
        agreed = base.get(name) or {"local": UNKNOWN, "remote": UNKNOWN}
        lv = local[name]
        rv = remote_now[name] if remote_now is not None else agreed.get("remote")
        local_changed = lv != agreed.get("local")
        remote_changed = remote_now is not None and rv != agreed.get("remote")
        if not local_changed and not remote_changed:
            continue
        if local_changed and remote_changed and _equivalent(name, lv, rv, ctx):
            step.pull_base[name] = {"local": lv, "remote": rv}
            continue
        if local_changed and remote_changed:
            winner = ctx.conflict_winner.get(name, "jira")
            shown_remote: Any = rv
            if name == "owner" and issue is not None:
                shown_remote = owner_from_remote(issue, ctx.owners_by_ref)
            elif name == "status":
                shown_remote = CLASS_TO_LOCAL.get(str(rv), rv)
            step.conflicts.append(
                Conflict(action.id, link.jira_key, name, lv, shown_remote, winner)
            )
            side = winner
        else:
            side = "tracker" if local_changed else "jira"
        if side == "tracker":
            if ctx.push:
                _push_two_way(step, name, action, rv, ctx, plan, warned)
        elif ctx.pull and issue is not None:
            _pull_two_way(step, name, action, lv, rv, issue, ctx)
    if ctx.push:
        step.warning = _warning_for(action, ctx, warned)
        step.warning_changed = step.warning != link.warning
    else:
        step.warning = link.warning
    return step


def _push_two_way(
    step: LinkStep,
    name: str,
    action: ActionRecord,
    rv: Any,
    ctx: PlanContext,
    plan: SyncPlan,
    warned: set[str],
) -> None:
    lv = local_two_way(action)[name]
    if name == "status":
        target = local_status_class(str(lv))
        if target != rv:
            step.transition_to = target
            step.pushed.append("status")
            step.comment = _status_comment(action, target)
        step.push_base["status"] = {"local": lv, "remote": target}
    elif name == "owner":
        ref = _resolve(lv, ctx, plan, warned)
        if lv is not None and ref is None:
            # No Jira user: the issue is unassigned (never left with someone else), and the
            # owner stays "not agreed" so that a user found later is assigned then.
            if rv is not None:
                step.fields["assignee"] = None
                step.pushed.append("assignee")
            step.push_base["owner"] = {"local": UNKNOWN, "remote": None}
            return
        if ref != rv:
            step.fields["assignee"] = user_ref(ref, ctx.mapping.deployment)
            step.pushed.append("assignee")
        step.push_base["owner"] = {"local": lv, "remote": ref}
    else:
        if lv != rv:
            step.fields["duedate"] = lv
            step.pushed.append("duedate")
        step.push_base["due_date"] = {"local": lv, "remote": lv}


def _pull_two_way(
    step: LinkStep,
    name: str,
    action: ActionRecord,
    lv: Any,
    rv: Any,
    issue: RemoteIssue,
    ctx: PlanContext,
) -> None:
    if name == "status":
        final = lv
        if local_status_class(str(lv)) != rv:
            final = CLASS_TO_LOCAL.get(str(rv), "open")
            step.pull_status = final
            if final == "wont_do":
                step.pull_reason = (
                    f"resolved in Jira as {issue.resolution or issue.status} ({issue.key})"
                )
            elif final == "blocked":
                step.pull_reason = f"{issue.status} in Jira ({issue.key})"
        step.pull_base["status"] = {"local": final, "remote": rv}
    elif name == "owner":
        owner = owner_from_remote(issue, ctx.owners_by_ref)
        if owner != action.owner:
            step.pull_changes["owner"] = owner
        step.pull_base["owner"] = {"local": owner, "remote": rv}
    else:
        due = date.fromisoformat(rv) if rv else None
        if due != action.due_date:
            step.pull_changes["due_date"] = due
        step.pull_base["due_date"] = {"local": rv, "remote": rv}


def existing_issue_base(
    action: ActionRecord, issue: RemoteIssue, cfg: MappingConfig
) -> dict[str, Any]:
    """Base for an issue that existed before the tracker (the action's tracking_ref): its
    summary, description and fields are left as people wrote them (only our labels are
    added); its status comes to the tracker; owner and due date go whichever way fills a
    blank (Jira's value when it has one, else the tracker's)."""
    base: dict[str, Any] = {
        f"f:{k}": v for k, v in push_fields(action, cfg).items() if k != "labels"
    }
    remote = remote_two_way(issue, cfg)
    local = local_two_way(action)
    base["status"] = {"local": local["status"], "remote": UNKNOWN}
    for name in ("owner", "due_date"):
        if remote[name] is not None:
            base[name] = {"local": local[name], "remote": UNKNOWN}
        else:
            base[name] = {"local": UNKNOWN, "remote": None}
    return base
