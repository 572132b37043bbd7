"""Markdown read through markdown-it: what the importer finds in CommonMark's corner cases.

Each document is a small synthetic snippet written for this test. The outcome asserted is
what a user sees after `import` (measure titles, sections, owners, tracking refs) or, where
the point is the shape the rules read, the normalised text.
"""

from __future__ import annotations

from tracker.postmortem import parse_postmortem
from tracker.postmortem.formats import normalise
from tracker.postmortem.model import ParsedPostmortem


def parse(text: str, name: str = "pm.md") -> ParsedPostmortem:
    return parse_postmortem(text, name=name)


def titles(result: ParsedPostmortem) -> list[str]:
    return [m.title for m in result.measures]


def test_setext_headings_are_sections() -> None:
    text = """Disk full on the build host
===========================

Summary
-------

The build host's disk filled up.

Action items
------------

- Add a disk usage alert at 80%
- Rotate build logs daily
"""
    result = parse(text)
    assert result.title == "Disk full on the build host"
    assert titles(result) == ["Add a disk usage alert at 80%", "Rotate build logs daily"]
    assert {m.section for m in result.measures} == {"Action items"}
    normalised = normalise(text, "pm.md").text
    assert "# Disk full on the build host\n" in normalised
    assert "## Action items\n" in normalised
    assert "===" not in normalised
    assert "---" not in normalised


def test_lazy_continuation_lines_join_their_item() -> None:
    text = """# Replica lag

## Action items

- Add an alert when the replication lag
exceeds five minutes
- Document the failover runbook
for the on-call engineer
"""
    result = parse(text)
    assert titles(result) == [
        "Add an alert when the replication lag exceeds five minutes",
        "Document the failover runbook for the on-call engineer",
    ]
    assert "- Add an alert when the replication lag exceeds five minutes\n" in (
        normalise(text, "pm.md").text
    )


def test_items_nested_by_four_spaces_explain_their_parent() -> None:
    text = """# Deploy outage

## Action items

- Add a canary stage to the deploy pipeline
    - a bad build then reaches one host first
    - the API already has one
- Write a runbook for the cache
"""
    result = parse(text)
    assert titles(result) == [
        "Add a canary stage to the deploy pipeline",
        "Write a runbook for the cache",
    ]
    assert result.measures[0].description == (
        "a bad build then reaches one host first; the API already has one"
    )
    assert "\n  - a bad build then reaches one host first\n" in normalise(text, "pm.md").text


def test_table_without_outer_pipes_keeps_its_columns() -> None:
    text = """# Disk full

## Action items

Action | Owner | Due date
--- | --- | ---
Add a disk usage alert | @ana | 2025-04-01
Rotate build logs daily | @ben | 2025-04-15
"""
    result = parse(text)
    assert titles(result) == ["Add a disk usage alert", "Rotate build logs daily"]
    assert [m.owner for m in result.measures] == ["@ana", "@ben"]
    assert [str(m.due_date) for m in result.measures] == ["2025-04-01", "2025-04-15"]
    assert "| Action | Owner | Due date |\n|---|---|---|\n" in normalise(text, "pm.md").text


def test_indented_code_block_does_not_become_items() -> None:
    text = """# Disk full

## Action items

- Add a disk usage alert at 80%

What we ran to free space:

    - rm -rf /var/cache/builds/old
    - systemctl restart builder
"""
    result = parse(text)
    assert titles(result) == ["Add a disk usage alert at 80%"]
    assert "```\n- rm -rf /var/cache/builds/old\n" in normalise(text, "pm.md").text


def test_emphasis_in_a_heading_is_not_part_of_its_title() -> None:
    text = """# Disk full

## **Action items**

- Add a disk usage alert at 80%

## *Follow-ups*

- Rotate build logs daily
"""
    result = parse(text)
    assert [(m.title, m.section) for m in result.measures] == [
        ("Add a disk usage alert at 80%", "Action items"),
        ("Rotate build logs daily", "Follow-ups"),
    ]
    normalised = normalise(text, "pm.md").text
    assert "## Action items\n" in normalised
    assert "## Follow-ups\n" in normalised


def test_reference_style_links_give_tracking_refs() -> None:
    text = """# Disk full

## Action items

- Add a disk usage alert at 80% ([#12][alert])
- [Rotate build logs daily][rotate]

[alert]: https://github.com/acme/build/issues/12
[rotate]: https://github.com/acme/build/issues/13
"""
    result = parse(text)
    assert [(m.title, m.tracking_ref) for m in result.measures] == [
        ("Add a disk usage alert at 80%", "acme/build#12"),
        ("Rotate build logs daily", "acme/build#13"),
    ]


def test_inline_markup_and_task_boxes_stay_as_written() -> None:
    text = """# Disk full

**Owner:** the build team

## Action items

- [x] Add a [disk alert](https://github.com/acme/build/issues/12) at **80%**
- [ ] Rotate `/var/log/builds` daily
"""
    normalised = normalise(text, "pm.md").text
    assert "**Owner:** the build team\n" in normalised
    assert "- [x] Add a [disk alert](https://github.com/acme/build/issues/12) at **80%**\n" in (
        normalised
    )
    assert "- [ ] Rotate `/var/log/builds` daily\n" in normalised
    result = parse(text)
    assert result.measures[0].tracking_ref == "acme/build#12"
    assert result.measures[0].doc_status == "done"


def test_plain_text_files_keep_the_line_rules() -> None:
    text = """Disk full on the build host

Action items:
    - Add a disk usage alert at 80%
    - Rotate build logs daily
"""
    for name in ("notes.txt", ""):  # a .txt file, or stdin without a Markdown mark
        assert normalise(text, name).text == text
        assert titles(parse(text, name)) == [
            "Add a disk usage alert at 80%",
            "Rotate build logs daily",
        ]


def test_rest_underlines_in_a_markdown_named_file_are_still_read_as_rest() -> None:
    text = """Disk full on the build host
===========================

Action items
~~~~~~~~~~~~

- Add a disk usage alert at 80%
- Rotate build logs daily
"""
    result = parse(text)
    assert result.format == "rst"
    assert titles(result) == ["Add a disk usage alert at 80%", "Rotate build logs daily"]


def test_star_bullets_in_a_markdown_file_are_items_not_org_headings() -> None:
    text = """# Queue outage

## Action items

* [ ] Add an alert on queue depth
* [x] Rotate the signing key [OPS-12](https://acme.atlassian.net/browse/OPS-12)
"""
    result = parse(text)
    assert result.format == "markdown"
    assert [(m.title, m.tracking_ref, m.doc_status) for m in result.measures] == [
        ("Add an alert on queue depth", None, None),
        ("Rotate the signing key", "OPS-12", "done"),
    ]


def test_escaped_pipe_stays_inside_its_table_cell() -> None:
    text = """# Queue outage

## Action items

| Action | Owner |
|---|---|
| Split `a\\|b` fields in the parser | @ana |
"""
    result = parse(text)
    assert [m.owner for m in result.measures] == ["@ana"]
    assert result.measures[0].title.startswith("Split")
    assert "in the parser" in result.measures[0].title


def test_a_list_indented_four_spaces_is_still_a_list_of_measures() -> None:
    text = """# Queue outage

## Action items

We will:

    - Add an alert on queue depth
    - Document the manual drain
"""
    assert titles(parse(text)) == ["Add an alert on queue depth", "Document the manual drain"]


def test_an_items_later_paragraph_explains_it_and_stays_out_of_the_title() -> None:
    text = """# Export outage

## Action items

- Rate-limit the export endpoint

  This was the endpoint that took the database down.
- [ ] Add an alert on queue depth (@ana, due 2025-05-01)
"""
    result = parse(text)
    assert titles(result) == ["Rate-limit the export endpoint", "Add an alert on queue depth"]
    assert "took the database down" in result.measures[0].description
    assert (result.measures[1].owner, str(result.measures[1].due_date)) == ("@ana", "2025-05-01")
