"""Widgets of the dashboard: summary bar, action table, filter bar."""
