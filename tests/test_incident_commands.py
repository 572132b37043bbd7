"""Correcting incidents: update, merge, delete, each with its events; a re-import keeps them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli

DOC = """# Checkout errors after a config push

**Start:** 11/01/2026 14:00 UTC
**End:** 11/01/2026 15:30 UTC

## Impact
Checkout failed for some customers.

## Root cause
A config push without validation.

## Action items
- Validate configs before the push
- Alert on checkout error rate
"""

OTHER = """# Checkout errors, second report

## Action items
- Add a canary stage for config pushes
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(cli: Cli, path: Path) -> dict:
    result = cli("import", str(path), "--json")
    assert result.code == 0, result.err
    return result.json()["incidents"][0]


def test_update_corrects_fields_with_events_and_a_reimport_keeps_them(
    cli: Cli, tmp_path: Path
) -> None:
    path = _write(tmp_path, "checkout.md", DOC)
    first = _import(cli, path)
    assert first["started_at"] == "2026-11-01T14:00:00Z"  # read month-first: wrong here
    iid = str(first["id"])
    result = cli(
        "incident",
        "update",
        iid,
        "--title",
        "Checkout outage (config push)",
        "--started",
        "2026-01-11T14:00+00:00",
        "--ended",
        "2026-01-11 15:45Z",
        "--impact",
        "12% of checkouts failed",
    )
    assert result.code == 0, result.err
    shown = cli("incident", "show", iid, "--json").json()
    assert shown["title"] == "Checkout outage (config push)"
    assert (shown["started_at"], shown["ended_at"]) == (
        "2026-01-11T14:00:00Z",
        "2026-01-11T15:45:00Z",
    )
    assert shown["duration_minutes"] == 105  # follows the corrected start and end
    assert shown["impact"] == "12% of checkouts failed"
    changed = {e["field"]: e for e in shown["history"] if e["kind"] == "change"}
    assert set(changed) == {"title", "started_at", "ended_at", "duration_minutes", "impact"}
    assert changed["title"]["old_value"] == "Checkout errors after a config push"
    assert changed["title"]["source"] == "cli"
    assert cli("incident", "update", iid, "--duration", "1h50m").code == 0
    assert cli("incident", "show", iid, "--json").json()["duration_minutes"] == 110

    # The document changes (a new measure, a new root cause): the import refreshes what no
    # person corrected and keeps what they did.
    path.write_text(
        DOC.replace("without validation", "without schema validation")
        + "- Write a config push runbook\n",
        encoding="utf-8",
    )
    again = _import(cli, path)
    assert again["id"] == first["id"]
    assert again["outcome"] == "updated"
    assert again["title"] == "Checkout outage (config push)"
    assert again["started_at"] == "2026-01-11T14:00:00Z"
    assert again["duration_minutes"] == 110
    assert again["impact"] == "12% of checkouts failed"
    assert again["root_cause"] == "A config push without schema validation."
    assert len(again["created"]) == 1
    assert "Checkout outage (config push)" in cli("incidents").out


def test_wrong_input_is_one_error_line_exit_2_and_nothing_changed(cli: Cli, tmp_path: Path) -> None:
    iid = str(_import(cli, _write(tmp_path, "checkout.md", DOC))["id"])
    before = cli("incident", "show", iid, "--json").json()
    cases = [
        (("incident", "update", "99", "--title", "x"), "no incident #99"),
        (("incident", "update", iid, "--started", "yesterday-ish"), "--started"),
        (("incident", "update", iid, "--duration", "a while"), "--duration"),
        (("incident", "update", iid, "--title", ""), "--title"),
        (("incident", "update", iid), "nothing to change"),
        # A good title with an end before the start: neither is applied.
        (
            ("incident", "update", iid, "--title", "New", "--ended", "2020-01-01T00:00Z"),
            "before the start",
        ),
        (("incident", "merge", iid, iid), "into itself"),
        (("incident", "merge", iid, "42"), "no incident #42"),
        (("incident", "delete", "42"), "no incident #42"),
        (("incident", "show", "42"), "no incident #42"),
    ]
    for args, words in cases:
        result = cli(*args)
        assert result.code == 2, args
        (line,) = result.err.splitlines()
        assert line.startswith("error:"), args
        assert words in line, args
    assert cli("incident", "show", iid, "--json").json() == before


def test_merge_moves_the_actions_and_retires_the_other_incident(cli: Cli, tmp_path: Path) -> None:
    keep_path = _write(tmp_path, "checkout.md", DOC)
    gone_path = _write(tmp_path, "checkout-2.md", OTHER)
    keep = _import(cli, keep_path)
    gone = _import(cli, gone_path)
    moved = [a["id"] for a in gone["actions"]]
    result = cli("incident", "merge", str(keep["id"]), str(gone["id"]))
    assert result.code == 0, result.err
    assert "1 action(s) moved" in result.err
    assert [i["id"] for i in cli("incident", "list", "--json").json()] == [keep["id"]]
    shown = cli("incident", "show", str(keep["id"]), "--json").json()
    assert sorted(a["id"] for a in shown["actions"]) == sorted(
        [a["id"] for a in keep["actions"]] + moved
    )
    assert [e["kind"] for e in shown["history"]] == ["merged"]
    history = cli("show", str(moved[0]), "--json").json()["history"]
    assert (history[-1]["field"], history[-1]["old_value"], history[-1]["new_value"]) == (
        "incident",
        f"#{gone['id']}",
        f"#{keep['id']}",
    )
    old = cli("incident", "show", str(gone["id"]), "--json").json()
    assert old["merged_into"] == keep["id"]
    assert old["deleted_at"]
    # Importing A's document again does not retire what came from B; B's document is not
    # imported again (a warning says where it went).
    keep_path.write_text(DOC + "- Add a dashboard for config pushes\n", encoding="utf-8")
    again = _import(cli, keep_path)
    assert again["retired"] == []
    assert moved[0] in [a["id"] for a in again["actions"] if not a["retired"]]
    gone_path.write_text(OTHER + "- Another measure\n", encoding="utf-8")
    result = cli("import", str(gone_path))
    assert result.code == 0
    assert f"merged into #{keep['id']}" in result.err
    assert len(cli("list", "--json").json()) == 4


def test_delete_retires_the_actions_and_keeps_their_history(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "checkout.md", DOC)
    incident = _import(cli, path)
    ids = [a["id"] for a in incident["actions"]]
    result = cli("incident", "delete", str(incident["id"]))
    assert result.code == 0, result.err
    assert "2 action(s) retired" in result.err
    assert cli("list", "--json").json() == []
    assert cli("incidents", "--json").json() == []
    history = cli("show", str(ids[0]), "--json").json()["history"]
    assert [e["kind"] for e in history] == ["created", "retired"]
    assert history[-1]["source"] == "cli"
    shown = cli("incident", "show", str(incident["id"]), "--json").json()
    assert shown["deleted_at"]
    assert [e["kind"] for e in shown["history"]] == ["deleted"]
    assert "deleted" in cli("incident", "show", str(incident["id"])).out
    again = cli("incident", "delete", str(incident["id"]))
    assert again.code == 2
    assert "was deleted" in again.err
    # The document imported again does not bring the incident back.
    path.write_text(DOC + "- One more\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 0
    assert "was deleted" in result.err
    assert cli("list", "--json").json() == []


def test_incident_show_prints_facts_actions_and_history(cli: Cli, tmp_path: Path) -> None:
    iid = str(_import(cli, _write(tmp_path, "checkout.md", DOC))["id"])
    cli("incident", "update", iid, "--root-cause", "Unvalidated config")
    out = cli("incident", "show", iid).out
    assert "Checkout errors after a config push" in out
    assert "Validate configs before the push" in out
    assert "root_cause" in out
    assert "Unvalidated config" in out
