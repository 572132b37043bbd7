"""The shapes of issue 11, each in a small synthetic document written for this test.

Labels wherever teams put them (bold line, plain line, translated heading with the English in
parentheses, table header), nested items, typed sub-headings with "None", HTML and Word
tables with owner/due/ticket columns, prose follow-ups with their lower confidence, dates
whose order the document itself decides, and stated durations.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import docx
import pytest

from tracker.postmortem import DocumentError, decode_document, parse_postmortem
from tracker.postmortem.model import ParsedPostmortem

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def parse(text: str, name: str = "pm.md", **kwargs: object) -> ParsedPostmortem:
    return parse_postmortem(text, name=name, **kwargs)  # type: ignore[arg-type]


def titles(result: ParsedPostmortem) -> list[str]:
    return [m.title for m in result.measures]


def imported(result: ParsedPostmortem) -> list[str]:
    return [m.title for m in result.measures if m.confidence >= THRESHOLD]


def test_bold_line_label_introduces_the_measures() -> None:
    text = """# Queue backlog on 2025-02-03

Workers stopped consuming for an hour.

**What went wrong**

- Nobody noticed the backlog growing

**Review actions**

- Alert when the queue is older than ten minutes
- Document how to drain the queue by hand
"""
    result = parse(text)
    assert titles(result) == [
        "Alert when the queue is older than ten minutes",
        "Document how to drain the queue by hand",
    ]
    assert [m.kind for m in result.measures] == ["detective", "process"]
    assert all(m.confidence >= THRESHOLD for m in result.measures)
    assert result.measures[0].reason == "under label 'Review actions'"


def test_plain_line_labels_alone_on_their_line() -> None:
    text = """Build farm outage

Summary
The build farm lost its disks on 2024-05-02.

Action Items

- Replace the failing disk controller
- Add a disk health check to the nightly job

Future:
- Move the build cache to object storage
"""
    result = parse(text, name="pm.txt")
    assert titles(result) == [
        "Replace the failing disk controller",
        "Add a disk health check to the nightly job",
        "Move the build cache to object storage",
    ]
    assert result.measures[2].reason == "under label 'Future'"


def test_vietnamese_heading_with_english_in_parentheses_over_a_table_without_outer_pipes() -> None:
    text = """# Sự cố cổng thanh toán

## Dòng thời gian

Ngày 2025-04-10 lúc 09:00 UTC dịch vụ ngừng hoạt động.

## Các Mục Hành Động (Action Items)

Hành động | Phụ trách | Hạn hoàn thành | Trạng thái
--- | --- | --- | ---
Thêm cảnh báo khi chứng chỉ sắp hết hạn | Minh | 2025-05-01 | Đang chờ
Viết tài liệu quy trình khôi phục | Lan | 2025-05-15 | Hoàn thành
"""
    result = parse(text)
    assert titles(result) == [
        "Thêm cảnh báo khi chứng chỉ sắp hết hạn",
        "Viết tài liệu quy trình khôi phục",
    ]
    assert [m.owner for m in result.measures] == ["Minh", "Lan"]
    assert [m.due_date for m in result.measures] == [date(2025, 5, 1), date(2025, 5, 15)]
    assert result.measures[0].reason.startswith("table column 'Hành động'")


@pytest.mark.parametrize(
    ("heading", "item"),
    [
        ("## Acciones correctivas", "Añadir una alerta de latencia"),
        ("## Itens de ação", "Adicionar um alerta de latência"),
        ("## Éléments d’action", "Ajouter une alerte de latence"),
        ("## Maßnahmen", "Latenz-Alarm hinzufügen"),
        ("## Azioni correttive", "Aggiungere un allarme di latenza"),
        ("## Actiepunten", "Latentie-alarm toevoegen"),
        ("## 再発防止策", "レイテンシのアラートを追加する"),
        ("## 改进措施", "增加延迟告警"),
        ("## 재발 방지 액션", "지연 알림 추가"),
        ("## Меры по предотвращению", "Добавить оповещение о задержке"),
    ],
)
def test_action_headings_in_other_languages(heading: str, item: str) -> None:
    text = f"# Incident\n\n## Timeline\n\n- 10:00 start\n\n{heading}\n\n- {item}\n"
    result = parse(text)
    assert titles(result) == [item]


def test_nested_items_sub_items_describe_the_parent_unless_they_are_actions() -> None:
    text = """# Cache stampede

## Action items

- Put the cache behind a request coalescer
  - the stampede came from 400 identical misses
  - see the load graph in the appendix
- Harden the deploy pipeline:
  - Add a canary stage before production
  - Add an automatic rollback on error rate
"""
    result = parse(text)
    assert titles(result) == [
        "Put the cache behind a request coalescer",
        "Harden the deploy pipeline Add a canary stage before production",
        "Harden the deploy pipeline Add an automatic rollback on error rate",
    ]
    assert "400 identical misses" in result.measures[0].description


def test_typed_sub_headings_give_kind_and_none_is_not_an_action() -> None:
    text = """# Login outage

## Action items

### Prevention

- Validate the identity provider configuration before deploy

### Detection

None

### Mitigation

- N/A
"""
    result = parse(text)
    assert titles(result) == ["Validate the identity provider configuration before deploy"]
    assert result.measures[0].kind == "preventive"


def test_empty_action_section_and_blank_template_give_no_measures() -> None:
    empty = "# Outage\n\n## Summary\n\nThe site was down.\n\n## Action items\n\n"
    template = """# Incident report: [title]

## Action items

| Action | Owner | Due date |
|---|---|---|
| | | |
"""
    for text in (empty, template):
        result = parse(text)
        assert result.measures == []
        assert [w.code for w in result.warnings if w.code == "no_measures"] == ["no_measures"]


def test_issue_link_lists_give_titles_and_references_and_done_markers_status() -> None:
    text = """# Sync failures

## Follow-ups

- [Retry uploads with backoff](https://github.com/acme/sync/issues/41)
- [Alert on upload errors](https://gitlab.com/acme/infra/-/issues/7)
- Rotate the upload token (https://acme.atlassian.net/browse/OPS-12)
- [x] Pin the SDK version (fixed by #40)
- Split the upload queue per region DONE
"""
    result = parse(text)
    got = [(m.title, m.tracking_ref, m.doc_status) for m in result.measures]
    assert got == [
        ("Retry uploads with backoff", "acme/sync#41", None),
        ("Alert on upload errors", "acme/infra#7", None),
        ("Rotate the upload token", "OPS-12", None),
        ("Pin the SDK version", None, "done"),
        ("Split the upload queue per region", None, "done"),
    ]


def test_prose_follow_ups_carry_a_lower_confidence_and_a_reason() -> None:
    text = """# Game day report

## What happened

The checkers ran out of CPU at noon. We will probably talk about it at some point.

## Lessons learned

The lessons that we are taking away are simple. Next time we will run a load test with
twice the expected traffic before the event.
"""
    result = parse(text)
    strong = [m for m in result.measures if m.confidence >= THRESHOLD]
    assert [m.title for m in strong] == [
        "Run a load test with twice the expected traffic before the event"
    ]
    assert strong[0].reason == "'next time' in 'Lessons learned'"
    assert all(0 < m.confidence < 1 and m.reason for m in result.measures)


def test_chinese_prose_promise_in_a_closing_section() -> None:
    text = """# 集群入侵事件

## 经过

3 月 13 日发现异常进程。

## 总结

未来，我们将加强内部网络的访问控制，定期轮换密钥，并启用双因素认证，杜绝弱口令。
"""
    result = parse(text)
    assert imported(result) == [
        "加强内部网络的访问控制",
        "定期轮换密钥",
        "启用双因素认证，杜绝弱口令",
    ]
    assert result.measures[0].reason == "'未来' in '总结'"


def test_html_table_keeps_owner_due_date_and_ticket_in_their_cells() -> None:
    page = """<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
<nav><ul><li>Home</li><li>Incidents</li><li>Add monitoring to everything</li></ul></nav>
<div id="main-content">
<h1>Payment API outage</h1>
<p>From 2025-06-02 10:00 UTC to 2025-06-02 11:15 UTC payments failed.</p>
<h2>Action items</h2>
<table><thead><tr><th>Action</th><th>Owner</th><th>Due date</th><th>Jira</th></tr></thead>
<tbody>
<tr><td>Add a circuit breaker to the payment client</td><td>Priya</td><td>2025-07-01</td>
<td><a href="https://acme.atlassian.net/browse/PAY-101">PAY-101</a></td></tr>
<tr><td>Alert on payment error rate</td><td>SRE team</td><td>2025-06-20</td><td>PAY-102</td></tr>
</tbody></table>
</div>
<footer>Confluence</footer>
</body></html>"""
    result = parse(page, name="export.html")
    got = [(m.title, m.owner, m.due_date, m.tracking_ref) for m in result.measures]
    assert got == [
        ("Add a circuit breaker to the payment client", "Priya", date(2025, 7, 1), "PAY-101"),
        ("Alert on payment error rate", "SRE team", date(2025, 6, 20), "PAY-102"),
    ]
    assert result.started_at == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    assert result.duration_minutes == 75


def test_a_word_document_imports() -> None:
    document = docx.Document()
    document.add_heading("Checkout outage", 1)
    document.add_paragraph("From 2025-03-03 10:00 to 11:30 UTC checkout failed.")
    document.add_heading("Action items", 2)
    table = document.add_table(rows=2, cols=4)
    for cell, value in zip(
        table.rows[0].cells, ["Action", "Owner", "Due date", "Jira"], strict=True
    ):
        cell.text = value
    row = ["Add an alert on checkout errors", "Dana", "2025-04-01", "OPS-12"]
    for cell, value in zip(table.rows[1].cells, row, strict=True):
        cell.text = value
    document.add_paragraph("Document the rollback procedure", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)

    text = decode_document(buffer.getvalue(), name="postmortem.docx")
    result = parse(text, name="postmortem.docx")

    assert result.title == "Checkout outage"
    got = [(m.title, m.owner, m.due_date, m.tracking_ref) for m in result.measures]
    assert got == [
        ("Add an alert on checkout errors", "Dana", date(2025, 4, 1), "OPS-12"),
        ("Document the rollback procedure", None, None, None),
    ]
    assert result.duration_minutes == 90


def test_a_damaged_word_document_is_refused_with_a_message() -> None:
    with pytest.raises(DocumentError, match="cannot be read as a Word document"):
        decode_document(b"PK\x03\x04not really a zip", name="broken.docx")


def test_day_first_dates_when_the_document_says_so_elsewhere() -> None:
    text = """# Storage outage

The outage began on 8 January 2026 and was written up on 11-01-2026.

## Timeline

- 11-01-2026 09:00 UTC disks filled up
- 11-01-2026 10:30 UTC service restored
"""
    result = parse(text, date_order="MDY")
    assert result.started_at == datetime(2026, 1, 11, 9, 0, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 1, 11, 10, 30, tzinfo=UTC)
    codes = [w.code for w in result.warnings]
    assert "date_order_inferred" in codes
    assert "ambiguous_date" not in codes


def test_configured_order_stands_when_the_document_does_not_decide() -> None:
    text = "# Outage\n\n## Timeline\n\n- 03/04/2026 09:00 UTC down\n- 03/04/2026 10:00 UTC up\n"
    result = parse(text, date_order="MDY")
    assert result.started_at == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert "ambiguous_date" in [w.code for w in result.warnings]


@pytest.mark.parametrize(
    ("statement", "minutes"),
    [
        ("Time to recovery: 389 minutes", 389),
        ("Total Outage: 2 hours 49 minutes", 169),
        ("Duration: ~24h40m", 1480),
    ],
)
def test_a_stated_duration_wins_over_start_and_end(statement: str, minutes: int) -> None:
    text = f"""# Database failover

{statement}

## Timeline

- 2025-09-01 08:00 UTC primary lost
- 2025-09-03 08:00 UTC incident closed
"""
    result = parse(text)
    assert result.duration_minutes == minutes


def test_owner_action_date_between_dashes_in_task_items() -> None:
    text = """# Runtime outage

## Corrective actions

- [x] Platform team — pin the proxy image to a digest — 2026-05-04
- [ ] Platform team — add a smoke test for the proxy
"""
    result = parse(text)
    got = [(m.title, m.owner, m.due_date, m.doc_status) for m in result.measures]
    assert got == [
        ("pin the proxy image to a digest", "Platform team", date(2026, 5, 4), "done"),
        ("add a smoke test for the proxy", "Platform team", None, None),
    ]


def test_a_second_planned_action_inside_one_item() -> None:
    text = """# Route deleted

## Prevention

- Users should be able to delete the default network. We also need to write a script
  that restores the test accounts to their defaults.
"""
    result = parse(text)
    assert titles(result) == [
        "Users should be able to delete the default network",
        "Write a script that restores the test accounts to their defaults",
    ]
    assert result.measures[1].reason.startswith("'we also need to' later in an item")


def test_confluence_storage_format_tasks_are_checkbox_items() -> None:
    page = """<h1>Search outage</h1>
<p>Search failed on 2025-08-01.</p>
<h2>Action items</h2>
<ac:task-list>
<ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>
<ac:task-body>Raise the index shard limit</ac:task-body></ac:task>
<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>
<ac:task-body>Alert on rejected index writes <time datetime="2025-09-15" /></ac:task-body></ac:task>
</ac:task-list>
<p>Written by the search team.</p>"""
    result = parse(page, name="page.html")
    got = [(m.title, m.doc_status, m.due_date) for m in result.measures]
    assert got == [
        ("Raise the index shard limit", "done", None),
        ("Alert on rejected index writes", None, date(2025, 9, 15)),
    ]


def test_an_html_table_inside_markdown_keeps_its_columns() -> None:
    text = """# Cache outage

## Follow-up actions

<table>
<tr><th>Action</th><th>Owner</th><th>Due</th></tr>
<tr><td>Cap the cache memory per tenant</td><td>@ana</td><td>2025-10-01</td></tr>
</table>
"""
    result = parse(text)
    got = [(m.title, m.owner, m.due_date) for m in result.measures]
    assert got == [("Cap the cache memory per tenant", "@ana", date(2025, 10, 1))]
