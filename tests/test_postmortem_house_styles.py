"""House styles the blind sets 3 and 4 showed: each rule in a small document of its own.

Follow-ups told as reported work in prose, question headings, topic lists, labels and
inline fields in more languages, and sentences that hand work to a person.
"""

from __future__ import annotations

from tracker.postmortem import parse_postmortem
from tracker.postmortem.model import ParsedMeasure

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def imported(text: str, name: str = "pm.md") -> list[ParsedMeasure]:
    return [m for m in parse_postmortem(text, name=name).measures if m.confidence >= THRESHOLD]


def test_work_reported_after_a_prevention_sentence_is_the_follow_ups() -> None:
    text = """# Build farm outage

On 2026-03-02 at 09:00 UTC the build farm stopped. We restarted the runners and restored
service at 11:00 UTC.

To keep this from happening again, we have moved the build caches to object storage and
added a disk-usage alert at 80%. We are also writing a runbook for clearing caches.
"""
    got = [(m.title, m.doc_status) for m in imported(text)]
    assert got == [
        ("Move the build caches to object storage", "done"),
        ("Add a disk-usage alert at 80%", "done"),
        ("Write a runbook for clearing caches", "in_progress"),
    ]


def test_recovery_told_in_the_present_perfect_is_not_a_measure() -> None:
    text = """# API errors

**Update** — We have already rolled back the release and restored service for most users.

**Resolved** — We have since restored service for all customers and will keep monitoring.
"""
    assert imported(text) == []


def test_talk_about_the_write_up_or_to_the_reader_is_not_a_measure() -> None:
    text = """# Queue delays

The queue fell behind for an hour on 2026-05-04.

We also want to talk about how we communicated. We'll update you as soon as we know more,
and we will keep publishing what we learn.
"""
    assert imported(text) == []


def test_a_topic_over_actions_is_not_an_action() -> None:
    text = """# Ausfall

## Maßnahmen

- Monitoring
  - Alarm auf die Queue-Länge einrichten
  - Dashboard für Consumer ergänzen
- Prozesse
  - Restart-Prozedur im Runbook dokumentieren
"""
    titles = [m.title for m in imported(text)]
    assert titles == [
        "Alarm auf die Queue-Länge einrichten",
        "Dashboard für Consumer ergänzen",
        "Restart-Prozedur im Runbook dokumentieren",
    ]


def test_question_headings_in_other_languages_name_the_measures() -> None:
    spanish = """# Caída del portal

## ¿Cómo evitamos que se repita?

- [ ] Alertar antes del vencimiento de los certificados (responsable: @ana, fecha: 20 de enero de 2027)
"""
    [measure] = imported(spanish)
    assert (measure.owner, measure.due_date and measure.due_date.isoformat()) == (
        "@ana",
        "2027-01-20",
    )


def test_advice_for_customers_is_not_an_action_section() -> None:
    text = """# Edge errors

## How are we making incidents like this less likely?

- We have fixed the probe defect. (Completed)
- We are adding per-customer error signals to rollback. (Estimated completion: March 2027)

## How can customers make incidents like this less impactful?

- Configure service health alerts for the regions you use.
"""
    got = [(m.title, m.doc_status, m.due_date) for m in imported(text)]
    assert [(t.split()[0], s) for t, s, _ in got] == [("Fix", "done"), ("Add", "in_progress")]
    assert str(got[1][2]) == "2027-03-31"


def test_polish_and_ukrainian_action_headings_and_inline_fields() -> None:
    polish = """# Awaria

## Działania naprawcze

- Dodać alert na długość kolejki – odpowiedzialny: Marek Nowak, termin: 15.01.2027
"""
    [measure] = imported(polish)
    assert measure.owner == "Marek Nowak"
    assert str(measure.due_date) == "2027-01-15"
    ukrainian = """# Збій

## Подальші кроки

- Додати алерт на помилки оплати
"""
    assert [m.title for m in imported(ukrainian)] == ["Додати алерт на помилки оплати"]


def test_a_sentence_that_hands_the_work_to_someone_names_the_owner() -> None:
    text = """# Login failures

## What we're changing

- We'll run a restore drill every month. Priya owns this.

## Weiteres Vorgehen

Außerdem werden wir das Runbook für Zertifikate überarbeiten. Das übernimmt Lena Hoffmann.
"""
    assert [m.owner for m in imported(text)] == ["Priya", "Lena Hoffmann"]


def test_priority_words_in_a_table_in_other_languages() -> None:
    text = """# Incident

## Mesures

| Mesure | Responsable | Priorité | Statut |
|---|---|---|---|
| Ajouter une alerte mémoire | Julie | Haute | En cours |
| Documenter la procédure | Marc | Basse | Fait |
"""
    got = [(m.priority, m.doc_status) for m in imported(text)]
    assert got == [("P1", "in_progress"), ("P3", "done")]


def test_work_done_after_a_prevention_clause_in_other_languages() -> None:
    spanish = """# Caída del servicio de pagos

El 3 de marzo de 2026 el servicio de pagos estuvo caído durante dos horas.

Para evitar que se repita, hemos añadido una alerta sobre la latencia del proveedor.
"""
    french = """# Panne de la messagerie

Le 3 mars 2026, la messagerie a été indisponible pendant deux heures.

Pour éviter que cela se reproduise, nous avons ajouté une alerte sur la file d'attente.
"""
    assert [(m.title, m.doc_status) for m in imported(spanish)] == [
        ("Hemos añadido una alerta sobre la latencia del proveedor", "done")
    ]
    assert [m.title for m in imported(french)] == [
        "Nous avons ajouté une alerte sur la file d'attente"
    ]


def test_the_team_named_as_the_subject_of_reported_work_owns_it() -> None:
    text = """# Login outage

## Remediation and prevention

The certificate was renewed at 11:40. We have since automated certificate renewal. In
addition, the identity team is adding an expiry alert to the monitoring system.
"""
    got = [(m.title, m.owner, m.doc_status) for m in imported(text)]
    assert got == [
        ("Automate certificate renewal", None, "done"),
        ("Add an expiry alert to the monitoring system", "identity team", "in_progress"),
    ]


def test_references_written_as_pr_numbers_or_repository_issues() -> None:
    text = """# Webhook retries

Date: 2026-11-10

## Action items

- [x] Move the idempotency-key write after processing — @kenji — PR #1184
- Stream the export in batches (tallyhq/ledger-export#212)
"""
    got = [(m.owner, m.tracking_ref) for m in imported(text)]
    assert got == [("@kenji", "#1184"), (None, "tallyhq/ledger-export#212")]


def test_a_due_date_without_a_year_falls_after_the_incident() -> None:
    text = """# Webhook retries

On 2026-12-10 webhooks failed for an hour.

## Action items

- Alert when orders stay pending — @marta — by Jan 20
- Runbook für Zertifikate überarbeiten (bis Ende Februar)
"""
    assert [str(m.due_date) for m in imported(text)] == ["2027-01-20", "2027-02-28"]


def test_a_row_number_column_is_not_the_ticket_column() -> None:
    text = """# Batch missed

## Remediation actions

| # | Remediation | Ticket |
|---|---|---|
| 1 | Update WI-PAY-031 to list every keystore | PAYOPS-2291 |
"""
    assert [m.tracking_ref for m in imported(text)] == ["PAYOPS-2291"]


def test_a_team_that_will_do_the_work_in_portuguese_owns_it() -> None:
    text = """# Lentidão no Pix

## Próximos passos

Vamos adicionar um alerta de latência. Além disso, a equipe de plataforma vai habilitar o
pgBouncer no cluster de pagamentos.

O aumento do pool que fizemos durante o incidente vai continuar assim por enquanto.
"""
    got = [(m.title.split()[-1], m.owner) for m in imported(text)]
    assert got == [("latência", None), ("pagamentos", "equipe de plataforma")]


def test_a_name_then_when_in_parentheses_is_the_owner() -> None:
    text = """# VPN outage

NEXT STEPS

1. Buy 50 more licences (Ana, this week)
2. Compare the VPN vendors (Postgres, MySQL and Redis are out of scope)
"""
    assert [m.owner for m in imported(text, "mail.txt")] == ["Ana", None]


def test_a_topic_over_explanations_stays_one_item() -> None:
    text = """# Outage

## Action items

- Monitoring
  - we had no alert on the queue length
  - the dashboard showed only averages
"""
    assert [m.title for m in imported(text)] == ["Monitoring"]


def test_what_happened_told_in_the_past_is_not_turned_into_an_instruction() -> None:
    text = """# Stale cache

## Action items

- It turned out the cache was stale for every tenant.
- Add a cache-age alert
"""
    assert [m.title for m in imported(text)] == [
        "It turned out the cache was stale for every tenant",
        "Add a cache-age alert",
    ]
