"""Helpers shared by several test modules (no tests here; pytest does not collect this package)."""
