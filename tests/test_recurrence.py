"""Recurring incidents through the real CLI on both backends: failure classes, `related` in
import and incident JSON, the import's "resembles ..." line, possible duplicate actions."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def _postmortem(title: str, day: str, impact: str, cause: str, actions: list[str]) -> str:
    items = "\n".join(f"- {a}" for a in actions)
    return (
        f"# {title}\n\n**Date:** {day}\n\n## Summary\n\n{impact}\n\n## Impact\n\n{impact}\n\n"
        f"## Root cause\n\n{cause}\n\n## Timeline\n\n- 10:00 UTC — Alerts fire.\n"
        f"- 11:00 UTC — Service restored.\n\n## Action items\n\n{items}\n"
    )


CERT_1 = _postmortem(
    "Checkout outage",
    "2023-02-08",
    "Customers could not pay in the checkout for two hours.",
    "The TLS certificate of the checkout API expired; renewal was a manual step nobody owned.",
    [
        "Test checkout before deploys",
        "Automate the certificate renewal for the checkout API",
        "Alert 30 days before any certificate expires",
    ],
)
CERT_2 = _postmortem(
    "Checkout down again after certificate expiry",
    "2024-03-02",
    "Checkout payments failed for 40 minutes.",
    "The checkout API certificate expired again: renewal was still manual.",
    ["Test checkout before deploys", "Move certificates to automatic renewal"],
)
# Shares the infrastructure words (production, deploy, database), fails differently.
DISK = _postmortem(
    "Production database deploy stalled",
    "2024-04-10",
    "Production writes to the database failed during the deploy.",
    "The database volume was full: old WAL files were never removed, so there was no space "
    "left on the disk.",
    ["Alert when disk usage passes 80%", "Rotate WAL archives daily"],
)
DNS = _postmortem(
    "Production deploy broke name resolution",
    "2024-05-01",
    "The database and every production service were unreachable after the deploy.",
    "A bad DNS change removed the zone delegation of the internal name servers.",
    ["Review DNS changes with a second person", "Add a DNS resolution probe"],
)


def _import(cli: Cli, path: Path, text: str) -> dict:
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path), "--json")
    assert result.code == 0, result.err
    return result.json()["incidents"][0]


def test_a_recurring_failure_is_linked_with_its_open_actions(cli: Cli, tmp_path: Path) -> None:
    first = _import(cli, tmp_path / "a.md", CERT_1)
    assert first["classes"] == ["certificate"]
    assert first["related"] == []
    test_first, renew, _alert = (a["id"] for a in first["actions"])
    assert cli("done", str(renew)).code == 0
    assert cli("update", str(_alert), "--status", "wont_do", "--reason", "noise").code == 0

    (tmp_path / "b.md").write_text(CERT_2, encoding="utf-8")
    human = cli("import", str(tmp_path / "b.md"))
    assert human.code == 0, human.err
    assert (
        f"resembles #{first['id']} (Checkout outage): 1 action(s) still open (#{test_first})"
        in human.err
    )
    assert "possible duplicate of #" + str(test_first) in human.err

    second_id = cli("incidents", "--json").json()[-1]["id"]
    related = cli("incident", "related", str(second_id), "--json").json()
    assert related["classes"] == ["certificate"]
    [link] = related["related"]
    assert link["incident_id"] == first["id"]
    assert link["title"] == "Checkout outage"
    assert link["open_actions"] == [test_first]
    assert link["wont_do_actions"] == [_alert]
    assert 0.5 <= link["score"] <= 1
    text = cli("incident", "related", str(second_id))
    assert text.out.startswith(f"resembles #{first['id']} (Checkout outage)")

    # An action of the second incident shows its incident's related list in `show --json`.
    action_of_second = cli("list", "--incident", str(second_id), "--json").json()[0]["id"]
    incident = cli("show", str(action_of_second), "--json").json()["incident"]
    assert [r["incident_id"] for r in incident["related"]] == [first["id"]]
    shown = cli("show", str(action_of_second)).out
    assert f"incident resembles #{first['id']} (Checkout outage): 1 action(s) still open" in shown

    # The report names the recurrence and counts incidents per class, like `stats`.
    report = cli("report", "--since", "2024-01-01", "--format", "json").json()
    assert [
        (r["incident_id"], r["related_id"], r["open_actions"]) for r in report["recurring"]
    ] == [(second_id, first["id"], [test_first])]
    assert report["failure_classes"] == cli("stats", "--json").json()["failure_classes"]
    assert report["failure_classes"] == [{"name": "certificate", "incidents": 2}]
    html = cli("report", "--since", "2024-01-01", "--format", "html").out
    assert "Incidents per failure class" in html
    assert f"#{first['id']} Checkout outage" in html


def test_shared_infrastructure_words_do_not_make_incidents_related(
    cli: Cli, tmp_path: Path
) -> None:
    disk = _import(cli, tmp_path / "disk.md", DISK)
    dns = _import(cli, tmp_path / "dns.md", DNS)
    assert disk["classes"] == ["disk_full"]
    assert dns["classes"][0] == "dns"
    assert "disk_full" not in dns["classes"]
    assert dns["related"] == []
    assert dns["duplicates"] == []


def test_classes_can_be_set_by_hand_and_survive_a_reimport(cli: Cli, tmp_path: Path) -> None:
    disk = _import(cli, tmp_path / "disk.md", DISK)
    set_ = cli("incident", "update", str(disk["id"]), "--class", "disk_full,overload")
    assert set_.code == 0, set_.err
    assert "classes (disk_full, overload)" in set_.err
    shown = cli("incident", "classes", str(disk["id"]), "--json").json()
    assert shown["classes"] == ["disk_full", "overload"]
    (tmp_path / "disk.md").write_text(DISK + "\n- Add a capacity review\n", encoding="utf-8")
    again = cli("import", str(tmp_path / "disk.md"), "--json").json()["incidents"][0]
    assert again["classes"] == ["disk_full", "overload"]
    bad = cli("incident", "update", str(disk["id"]), "--title", "Disk", "--class", "gremlins")
    assert bad.code == 2
    assert bad.err.startswith("error: unknown failure class 'gremlins'")
    # All or nothing: the title did not change either.
    assert cli("incident", "show", str(disk["id"]), "--json").json()["title"] == disk["title"]
    assert cli("incident", "update", "999", "--class", "dns").code == 2
    assert cli("incident", "classes", "999").code == 2
    auto = cli("incident", "classes", str(disk["id"]), "--auto", "--json").json()
    assert auto["classes"] == ["disk_full"]
    stats = cli("stats", "--json").json()
    assert stats["failure_classes"] == [{"name": "disk_full", "incidents": 1}]


def test_add_flags_a_possible_duplicate_of_an_open_action(cli: Cli, tmp_path: Path) -> None:
    first = _import(cli, tmp_path / "a.md", CERT_1)
    existing = first["actions"][0]["id"]
    added = cli("add", "Test the checkout before deploys")
    assert added.code == 0
    assert f"possible duplicate of #{existing}" in added.err
    other = cli("add", "Write the on-call handbook")
    assert "duplicate" not in other.err


def test_an_incident_names_the_five_earlier_ones_it_resembles_most(
    cli: Cli, tmp_path: Path
) -> None:
    earlier = []
    for n in range(7):
        # The last two earlier outages share the new one's words (checkout); the rest do not.
        service = "checkout" if n >= 5 else f"service{n}"
        text = _postmortem(
            f"{service.title()} certificate expired {n}",
            f"2024-0{n + 1}-10",
            f"{service} was unreachable.",
            f"The TLS certificate of {service} expired.",
            [f"Renew the {service} certificate automatically {n}"],
        )
        earlier.append(_import(cli, tmp_path / f"{n}.md", text)["id"])

    new = _import(
        cli,
        tmp_path / "new.md",
        _postmortem(
            "Checkout down after certificate expiry",
            "2025-03-02",
            "Checkout payments failed for 40 minutes.",
            "The checkout certificate expired again: renewal was still manual.",
            ["Move the checkout certificate to automatic renewal"],
        ),
    )

    assert new["classes"] == ["certificate"]
    named = [r["incident_id"] for r in new["related"]]
    assert len(named) == 5
    assert set(named[:2]) == set(earlier[5:])  # most similar first
    assert set(named) <= set(earlier)
    assert [r["score"] for r in new["related"]] == sorted(
        (r["score"] for r in new["related"]), reverse=True
    )
