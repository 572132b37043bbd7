"""CLI rendering only: tables, details, statistics and exports. Only `tracker.cli` imports it."""
