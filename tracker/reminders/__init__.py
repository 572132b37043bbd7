"""Reminders: a pure planner, delivery channels, an idempotent sender, and the commands.

See docs/reminders.md for the rules and tracker/reminders/sender.py for the delivery guarantees.
"""
