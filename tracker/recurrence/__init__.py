"""Recurring incidents: failure classes, resemblance, duplicate actions (docs/recurrence.md)."""
