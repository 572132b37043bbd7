"""Reminder channels: e-mail, Slack-compatible webhook, Jira comment, log."""

from tracker.reminders.channels.base import DeliveryError, ReminderChannel

__all__ = ["DeliveryError", "ReminderChannel"]
