"""Each word once: the statuses and their groups, and the defaults a new action gets, are
defined in tracker/vocabulary.py and nowhere else in tracker/, sync/ or tui/."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from tests.conftest import REPO
from tracker import vocabulary
from tracker.actions import TRANSITIONS
from tracker.config import PolicySettings


def _literal_groups(path: Path) -> list[tuple[int, set[str]]]:
    """Tuple, list and set literals of two or more status words, outside dict values (a table
    keyed by status, such as the allowed transitions, is a rule, not a group)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    dict_values = {
        id(v) for node in ast.walk(tree) if isinstance(node, ast.Dict) for v in node.values
    }
    dict_values |= {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for v in node.values
        if isinstance(v, ast.Call)
        for arg in v.args
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and id(node) not in dict_values:
            words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            if (
                len(node.elts) >= 2
                and len(words) == len(node.elts)
                and words <= set(vocabulary.STATUSES)
            ):
                found.append((node.lineno, {str(w) for w in words}))
    return found


def test_status_groups_are_spelled_out_only_in_the_vocabulary() -> None:
    offenders = []
    for package in ("tracker", "sync", "tui"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path == REPO / "tracker" / "vocabulary.py" or "migrations" in path.parts:
                continue
            offenders += [
                f"{path.relative_to(REPO)}:{line} {sorted(words)}"
                for line, words in _literal_groups(path)
            ]
    assert offenders == []


def test_the_groups_partition_the_statuses_and_the_transitions_cover_them() -> None:
    assert set(vocabulary.OPEN_STATUSES) | set(vocabulary.CLOSED_STATUSES) == set(
        vocabulary.STATUSES
    )
    assert not set(vocabulary.OPEN_STATUSES) & set(vocabulary.CLOSED_STATUSES)
    assert set(vocabulary.DONE_STATUSES) < set(vocabulary.CLOSED_STATUSES)
    assert set(TRANSITIONS) == set(vocabulary.STATUSES)


def test_the_policy_defaults_are_the_vocabulary_defaults() -> None:
    policy = PolicySettings()
    assert policy.due_days == dict(vocabulary.DEFAULT_DUE_DAYS)
    assert policy.default_priority == vocabulary.DEFAULT_PRIORITY
    assert policy.verify_after_days == vocabulary.DEFAULT_VERIFY_AFTER_DAYS
    today = date(2026, 12, 2)
    assert vocabulary.default_verify_by(today, 30) == date(2027, 1, 1)
    assert vocabulary.default_verify_by(today, 0) is None
