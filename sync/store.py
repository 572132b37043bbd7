"""What the sync keeps in the tracker's database: links (SyncLink rows), the pull watermark,
the learned Jira users and the site facts checked before the first write (Meta rows).

The engine decides; this module only reads and writes rows. Every write is its own short
transaction unless a session is passed in (pulls batch many actions in one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.mapping import ActionRecord
from sync.planner import LinkState
from tracker.db import session_scope
from tracker.models import Action, Incident, Meta, SyncLink, table_of, utcnow

META_WATERMARK = "sync.last_pull"
META_INSTANCE = "sync.instance_id"
META_USERS = "sync.jira_users"
META_SITE = "sync.site_check"

KEEP: Any = object()  # "leave the stored warning as it is"


@dataclass
class StoredState:
    actions: list[ActionRecord]
    links: dict[int, LinkState]
    watermark: datetime | None
    instance_id: str | None
    users: dict[str, str]
    site: dict[str, Any]  # the last site check: {"site", "settings", "fields", ...}


class SyncStore:
    """Rows of one database for one Jira site (`site` = "url|project")."""

    def __init__(self, db: Engine, site: str) -> None:
        self.db = db
        self.site = site

    # ------------------------------------------------------------------ reading
    def load(self) -> StoredState:
        action_t, incident_t, link_t = table_of(Action), table_of(Incident), table_of(SyncLink)
        with session_scope(self.db, write=False) as s:
            rows = s.execute(
                select(
                    action_t,
                    incident_t.c.title.label("incident_title"),
                    incident_t.c.root_cause.label("incident_root_cause"),
                    incident_t.c.impact.label("incident_impact"),
                )
                .select_from(
                    action_t.outerjoin(incident_t, incident_t.c.id == action_t.c.incident_id)
                )
                .order_by(action_t.c.id)
            ).mappings()
            actions = [
                ActionRecord(
                    id=int(r["id"]),
                    title=str(r["title"]),
                    description=str(r["description"] or ""),
                    kind=str(r["kind"]),
                    priority=str(r["priority"]),
                    owner=r["owner"],
                    team=r["team"],
                    due_date=r["due_date"],
                    status=str(r["status"]),
                    status_reason=r["status_reason"],
                    retired=bool(r["retired"]),
                    incident_id=r["incident_id"],
                    incident_title=r["incident_title"],
                    root_cause=r["incident_root_cause"],
                    impact=r["incident_impact"],
                    tracking_ref=r["tracking_ref"],
                )
                for r in rows
            ]
            links: dict[int, LinkState] = {}
            for r in s.execute(select(link_t)).mappings():
                pending = r["pushed_at"] if r["jira_key"] is None else None
                links[int(r["action_id"])] = LinkState(
                    action_id=int(r["action_id"]),
                    jira_key=r["jira_key"],
                    jira_id=r["jira_id"],
                    base=json.loads(r["base_json"] or "{}"),
                    pending_since=pending,
                    warning=r["sync_warning"],
                )
            meta = {
                str(r["key"]): str(r["value"]) for r in s.execute(select(table_of(Meta))).mappings()
            }
        watermark = None
        raw = meta.get(META_WATERMARK)
        if raw:
            mark = json.loads(raw)
            if mark.get("site") == self.site:
                watermark = datetime.fromisoformat(mark["at"])
        site = json.loads(meta.get(META_SITE) or "{}")
        return StoredState(
            actions=actions,
            links=links,
            watermark=watermark,
            instance_id=meta.get(META_INSTANCE),
            users=json.loads(meta.get(META_USERS) or "{}"),
            site=site if site.get("site") == self.site else {},
        )

    # ------------------------------------------------------------------ meta
    def meta_set(self, key: str, value: str) -> None:
        table = table_of(Meta)
        with session_scope(self.db) as s:
            done = s.execute(update(table).where(table.c.key == key).values(value=value))
            if done.rowcount == 0:  # type: ignore[attr-defined]
                s.execute(insert(table).values(key=key, value=value))

    def set_watermark(self, at: datetime) -> None:
        self.meta_set(META_WATERMARK, json.dumps({"at": at.isoformat(), "site": self.site}))

    def set_instance(self, instance_id: str) -> None:
        self.meta_set(META_INSTANCE, instance_id)

    def set_users(self, users: Mapping[str, str]) -> None:
        self.meta_set(META_USERS, json.dumps(dict(users), sort_keys=True))

    def set_site(self, facts: Mapping[str, Any]) -> None:
        self.meta_set(META_SITE, json.dumps({**facts, "site": self.site}, sort_keys=True))

    # ------------------------------------------------------------------ links
    def store_link(
        self,
        action_id: int,
        key: str,
        jira_id: str | None,
        base: Mapping[str, Any],
        *,
        pushed_fp: str | None,
        warning: str | None = None,
    ) -> None:
        link_t, action_t = table_of(SyncLink), table_of(Action)
        now = utcnow()
        with session_scope(self.db) as s:
            values = {
                "jira_key": key,
                "jira_id": jira_id,
                "base_json": json.dumps(base, sort_keys=True),
                "pushed_at": now,
                "pushed_fingerprint": pushed_fp,
                "last_error": None,
                "last_error_at": None,
                "sync_warning": warning,
            }
            done = s.execute(update(link_t).where(link_t.c.action_id == action_id).values(**values))
            if done.rowcount == 0:  # type: ignore[attr-defined]
                s.execute(insert(link_t).values(action_id=action_id, **values))
            # The key is bookkeeping, not a person's edit: no event, no version bump.
            s.execute(update(action_t).where(action_t.c.id == action_id).values(jira_key=key))

    def link_error(self, action_id: int, error: str, *, clear_pending: bool = False) -> None:
        link_t = table_of(SyncLink)
        now = utcnow()
        values: dict[str, Any] = {"last_error": error, "last_error_at": now}
        if clear_pending:
            values["pushed_at"] = None
        with session_scope(self.db) as s:
            done = s.execute(update(link_t).where(link_t.c.action_id == action_id).values(**values))
            if done.rowcount == 0:  # type: ignore[attr-defined]
                s.execute(insert(link_t).values(action_id=action_id, base_json="{}", **values))

    def save_base(
        self,
        action_id: int,
        base: Mapping[str, Any],
        *,
        pushed_fp: str | None = None,
        pulled_fp: str | None = None,
        remote_updated: datetime | None = None,
        error: str | None = None,
        warning: str | None = KEEP,
        session: Session | None = None,
    ) -> None:
        link_t = table_of(SyncLink)
        now = utcnow()
        values: dict[str, Any] = {"base_json": json.dumps(base, sort_keys=True)}
        if pushed_fp is not None:
            values.update(pushed_fingerprint=pushed_fp, pushed_at=now)
        if pulled_fp is not None:
            values.update(pulled_fingerprint=pulled_fp, pulled_at=now)
        if remote_updated is not None:
            values["remote_updated"] = remote_updated
        if warning is not KEEP:
            values["sync_warning"] = warning
        values.update(last_error=error, last_error_at=now if error else None)
        statement = update(link_t).where(link_t.c.action_id == action_id).values(**values)
        if session is not None:
            session.execute(statement)
            return
        with session_scope(self.db) as s:
            s.execute(statement)

    def mark_in_flight(self, action_ids: Sequence[int]) -> None:
        """Before a bulk create: these actions have a create on its way (no key yet)."""
        link_t = table_of(SyncLink)
        now = utcnow()
        ids = list(action_ids)
        with session_scope(self.db) as s:
            existing = {
                int(r[0])
                for r in s.execute(select(link_t.c.action_id).where(link_t.c.action_id.in_(ids)))
            }
            if existing:
                s.execute(
                    update(link_t).where(link_t.c.action_id.in_(existing)).values(pushed_at=now)
                )
            fresh = [
                {"action_id": i, "base_json": "{}", "pushed_at": now}
                for i in ids
                if i not in existing
            ]
            if fresh:
                s.execute(insert(link_t), fresh)
