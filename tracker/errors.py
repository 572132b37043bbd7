"""One error root for the whole tool: every refusal or failure a person should see is a
`TrackerError` whose `exit_code` says whose fault it was, so `cli.main` catches it once.

Exit codes (README "Exit codes", DESIGN.md): 2 for anything the user typed or configured wrong,
1 for an operation that failed while running. The message is one line that says what and what
to do.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class TrackerError(Exception):
    """Base of every error shown to people; its message is one line, already safe to print."""

    exit_code = EXIT_FAILED


class UserInputError(TrackerError):
    """Something the user typed is wrong: an unknown value, a bad date, a bad file."""

    exit_code = EXIT_USAGE


class ConfigurationError(UserInputError):
    """A setting is wrong; the message names the file, the key and what is expected."""


class NotFoundError(UserInputError):
    """An id the user typed names nothing."""


class RuleError(UserInputError):
    """A domain rule refused the request: an illegal transition, a missing reason."""


class ConflictError(TrackerError):
    """Someone else changed the record meanwhile; reload and try again."""


class OperationFailed(TrackerError):
    """Something failed while running (database locked, disk full); retrying may help."""


class JiraError(TrackerError):
    """Jira refused, timed out or could not be reached."""


class DeliveryError(TrackerError):
    """A reminder or report could not be delivered (SMTP refused, webhook down)."""
