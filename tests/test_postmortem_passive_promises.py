"""English follow-ups told about a thing, not a person: "the runbook will be updated"."""

from __future__ import annotations

from tracker.postmortem import parse_postmortem

THRESHOLD = 0.6  # `[import] min_confidence`'s default


def imported_titles(text: str) -> list[str]:
    found = parse_postmortem(text, name="pm.md").measures
    return [m.title for m in found if m.confidence >= THRESHOLD]


def test_a_passive_commitment_in_a_prevention_paragraph_is_a_measure() -> None:
    text = """# Queue stall

On 2026-02-03 at 04:19 UTC the workers stopped taking jobs until 07:40 UTC.

## Prevention?

We are going to upgrade the coordination service. Finally, the on-call runbook will get a
section about restarting workers.
"""
    assert imported_titles(text) == [
        "Upgrade the coordination service",
        "The on-call runbook will get a section about restarting workers",
    ]


def test_service_will_be_restored_is_a_status_not_a_measure() -> None:
    text = """# Queue stall

On 2026-02-03 at 04:19 UTC the workers stopped taking jobs. Service will be restored
shortly. The dashboard will be unavailable until then.

## Conclusion

The coordination service will be upgraded to a version that survives partitions.
"""
    assert imported_titles(text) == [
        "The coordination service will be upgraded to a version that survives partitions"
    ]
