"""Screens of the dashboard: main, detail, incidents, trends, help, dialogs."""
