"""The JQL subset the fake understands, with Jira's error messages for what it rejects.

Supported: ``field op value`` clauses joined by ``AND``, then ``ORDER BY f [ASC|DESC], ...``.
Fields: ``project``, ``labels``, ``status``, ``statusCategory`` (``=``, ``!=``, ``in``,
``not in``), ``key``/``issuekey`` (same), ``updated``/``created`` (``=``, ``>``, ``>=``, ``<``,
``<=`` against ``"yyyy-MM-dd HH:mm"``, ``"yyyy/MM/dd HH:mm"``, a date, or ``-5d``-style
periods). Date literals have minute precision and are read in the site's time zone, as Jira
reads them in the searching user's zone. Entity properties (``issue.property[...]``) are not
searchable (no app indexes them), so they fail like any unknown field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from .errors import JiraError
from .model import Issue, Project, Status

DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
_PERIOD = re.compile(r"^([-+]?)((?:\d+[wdhm]\s*)+)$")
_PERIOD_PART = re.compile(r"(\d+)([wdhm])")
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>!=|>=|<=|!~|=|>|<|~|\(|\)|,)
      | (?P<word>[^\s"'(),=!<>~]+)
    )""",
    re.VERBOSE,
)

FIELD_ALIASES = {
    "project": "project",
    "labels": "labels",
    "status": "status",
    "statuscategory": "statusCategory",
    "key": "key",
    "issuekey": "key",
    "issue": "key",
    "updated": "updated",
    "updateddate": "updated",
    "created": "created",
    "createddate": "created",
}
#: Real Jira fields this fake does not search on: rejected with a message that says so.
KNOWN_UNSUPPORTED = {
    "assignee",
    "reporter",
    "summary",
    "description",
    "text",
    "priority",
    "duedate",
    "due",
    "resolution",
    "resolved",
    "resolutiondate",
    "type",
    "issuetype",
    "comment",
    "id",
}
ORDER_FIELDS = {
    "key": "key",
    "issuekey": "key",
    "created": "created",
    "updated": "updated",
    "priority": "priority",
    "duedate": "duedate",
    "due": "duedate",
    "summary": "summary",
    "status": "status",
    "assignee": "assignee",
    "resolutiondate": "resolutiondate",
}
EQUALITY_OPS = {"=", "!=", "in", "not in"}
DATE_OPS = {"=", ">", ">=", "<", "<="}


class JqlContext(Protocol):
    """What the parser needs to know about the site to validate values."""

    @property
    def projects(self) -> list[Project]: ...

    @property
    def statuses(self) -> list[Status]: ...

    @property
    def zone(self) -> ZoneInfo: ...

    def exists_key(self, key: str) -> bool: ...

    def now(self) -> datetime: ...


@dataclass
class Token:
    kind: str  # string | op | word
    text: str
    position: int


@dataclass
class Query:
    clauses: list[Callable[[Issue], bool]] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)

    @property
    def bounded(self) -> bool:
        return bool(self.clauses)

    def matches(self, issue: Issue) -> bool:
        return all(clause(issue) for clause in self.clauses)


def syntax_error(message: str, token: Token | None = None) -> JiraError:
    where = f" (line 1, character {token.position + 1})" if token else ""
    return JiraError(400, [f"Error in the JQL Query: {message}{where}"])


def tokenize(jql: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(jql):
        if jql[position:].strip() == "":
            break
        match = _TOKEN.match(jql, position)
        if match is None or match.end() == position:
            bad = jql[position:].lstrip()[:1]
            raise syntax_error(f"The character '{bad}' is a reserved JQL character.")
        kind = match.lastgroup or "word"
        text = match.group(kind)
        start = match.start(kind)
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        tokens.append(Token(kind, text, start))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, jql: str, context: JqlContext) -> None:
        self.tokens = tokenize(jql)
        self.index = 0
        self.context = context

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise syntax_error("Expecting either a value, list or function but got <EOF>.")
        self.index += 1
        return token

    def keyword(self, *words: str) -> bool:
        """Consume the given bare words (case-insensitively) if they come next."""
        upcoming = self.tokens[self.index : self.index + len(words)]
        if len(upcoming) == len(words) and all(
            t.kind == "word" and t.text.casefold() == w
            for t, w in zip(upcoming, words, strict=True)
        ):
            self.index += len(words)
            return True
        return False

    def parse(self) -> Query:
        query = Query()
        if self.peek() is not None and not self._at_order_by():
            query.clauses.append(self.clause())
            while self.peek() is not None and not self._at_order_by():
                token = self.take()
                if token.kind == "word" and token.text.casefold() == "and":
                    query.clauses.append(self.clause())
                elif token.kind == "word" and token.text.casefold() in {"or", "not"}:
                    raise JiraError(
                        400,
                        [f"The fake Jira server does not support '{token.text.upper()}' in JQL."],
                    )
                else:
                    raise syntax_error(
                        f"Expecting one of the operators 'AND', 'OR' or 'ORDER BY' but got "
                        f"'{token.text}'.",
                        token,
                    )
        if self.keyword("order", "by"):
            query.order = self.order_by()
        if self.peek() is not None:
            token = self.take()
            raise syntax_error(f"Unexpected '{token.text}'.", token)
        return query

    def _at_order_by(self) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.casefold() == "order"

    def order_by(self) -> list[tuple[str, bool]]:
        order: list[tuple[str, bool]] = []
        while True:
            token = self.take()
            name = ORDER_FIELDS.get(token.text.casefold())
            if name is None:
                if (
                    token.text.casefold() in KNOWN_UNSUPPORTED
                    or token.text.casefold() in FIELD_ALIASES
                ):
                    raise JiraError(400, [f"The fake Jira server cannot order by '{token.text}'."])
                raise JiraError(400, [f"Not able to sort using field '{token.text}'."])
            descending = False
            if self.keyword("desc"):
                descending = True
            else:
                self.keyword("asc")
            order.append((name, descending))
            following = self.peek()
            if following is None:
                return order
            if following.kind == "op" and following.text == ",":
                self.index += 1
                continue
            raise syntax_error(
                f"Expecting ',' or end of query but got '{following.text}'.", following
            )

    def clause(self) -> Callable[[Issue], bool]:
        token = self.take()
        if token.kind == "op":
            raise syntax_error(f"Expecting a field name but got '{token.text}'.", token)
        name = FIELD_ALIASES.get(token.text.casefold())
        if name is None:
            if token.text.casefold() in KNOWN_UNSUPPORTED:
                raise JiraError(400, [f"The fake Jira server does not search on '{token.text}'."])
            raise JiraError(
                400,
                [f"Field '{token.text}' does not exist or you do not have permission to view it."],
            )
        operator = self.operator()
        if name in {"updated", "created"}:
            if operator not in DATE_OPS:
                raise syntax_error(
                    f"The operator '{operator}' is not supported by the '{token.text}' field."
                )
            return self.date_clause(name, operator)
        if operator not in EQUALITY_OPS:
            raise syntax_error(
                f"The operator '{operator}' is not supported by the '{token.text}' field."
            )
        values = self.values(operator)
        return self.value_clause(name, operator, values)

    def operator(self) -> str:
        token = self.take()
        if token.kind == "op" and token.text not in {"(", ")", ","}:
            return token.text
        if token.kind == "word" and token.text.casefold() == "in":
            return "in"
        if token.kind == "word" and token.text.casefold() == "not" and self.keyword("in"):
            return "not in"
        if token.kind == "word" and token.text.casefold() in {"is", "was", "changed"}:
            raise JiraError(400, [f"The fake Jira server does not support '{token.text.upper()}'."])
        raise syntax_error(f"Expecting operator but got '{token.text}'.", token)

    def values(self, operator: str) -> list[str]:
        if operator not in {"in", "not in"}:
            return [self.value()]
        opening = self.take()
        if opening.text != "(" or opening.kind != "op":
            raise syntax_error(f"Expecting '(' but got '{opening.text}'.", opening)
        values = [self.value()]
        while True:
            token = self.take()
            if token.kind == "op" and token.text == ")":
                return values
            if token.kind == "op" and token.text == ",":
                values.append(self.value())
                continue
            raise syntax_error(f"Expecting ',' or ')' but got '{token.text}'.", token)

    def value(self) -> str:
        token = self.take()
        if token.kind == "op":
            raise syntax_error(
                f"Expecting either a value, list or function but got '{token.text}'.", token
            )
        following = self.peek()
        if token.kind == "word" and following is not None and following.text == "(":
            raise JiraError(
                400, [f"The fake Jira server does not support JQL functions ('{token.text}()')."]
            )
        return token.text

    # -- clause builders -----------------------------------------------------------------
    def value_clause(self, name: str, operator: str, values: list[str]) -> Callable[[Issue], bool]:
        negate = operator in {"!=", "not in"}
        probe = self._probe(name, values)

        def clause(issue: Issue) -> bool:
            return probe(issue) != negate

        return clause

    def _probe(self, name: str, values: list[str]) -> Callable[[Issue], bool]:
        folded = {v.casefold() for v in values}
        if name == "project":
            projects = [self._project(v) for v in values]
            ids = {p.id for p in projects}
            return lambda issue: issue.project.id in ids
        if name == "labels":
            return lambda issue: bool(folded & {label.casefold() for label in issue.labels})
        if name == "status":
            for value in values:
                if not any(
                    s.name.casefold() == value.casefold() or s.id == value
                    for s in self.context.statuses
                ):
                    raise JiraError(
                        400, [f"The value '{value}' does not exist for the field 'status'."]
                    )
            return lambda issue: issue.status.name.casefold() in folded or issue.status.id in values
        if name == "statusCategory":
            return lambda issue: bool(
                folded
                & {
                    issue.status.category.name.casefold(),
                    issue.status.category.key,
                    str(issue.status.category.id),
                }
            )
        keys = {self._issue_key(v) for v in values}
        return lambda issue: issue.key in keys

    def _project(self, value: str) -> Project:
        for project in self.context.projects:
            if (
                value.casefold() in {project.key.casefold(), project.name.casefold()}
                or value == project.id
            ):
                return project
        raise JiraError(400, [f"The value '{value}' does not exist for the field 'project'."])

    def _issue_key(self, value: str) -> str:
        key = value.upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*-\d+", key):
            raise JiraError(400, [f"The issue key '{value}' for field 'key' is invalid."])
        if not self.context.exists_key(key):
            raise JiraError(400, [f"An issue with key '{key}' does not exist for field 'key'."])
        return key

    def date_clause(self, name: str, operator: str) -> Callable[[Issue], bool]:
        raw = self.value()
        bound = parse_date_literal(raw, name, self.context)
        compare: dict[str, Callable[[datetime, datetime], bool]] = {
            "=": lambda a, b: a == b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
        }
        check = compare[operator]

        def clause(issue: Issue) -> bool:
            return check(getattr(issue, name), bound)

        return clause


def parse_date_literal(raw: str, field_name: str, context: JqlContext) -> datetime:
    """A JQL date literal as an aware datetime, truncated to the minute as Jira does."""
    text = raw.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=context.zone)
        except ValueError:
            continue
    period = _PERIOD.match(text)
    if period:
        units = {
            "w": timedelta(weeks=1),
            "d": timedelta(days=1),
            "h": timedelta(hours=1),
            "m": timedelta(minutes=1),
        }
        delta = sum(
            (int(n) * units[u] for n, u in _PERIOD_PART.findall(period.group(2))), timedelta(0)
        )
        moment = context.now() + (-delta if period.group(1) == "-" else delta)
        return moment.replace(second=0, microsecond=0)
    raise JiraError(
        400,
        [
            f"Date value '{raw}' for field '{field_name}' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
            "format e.g. '-5d', '4w 2d'."
        ],
    )


def parse(jql: str, context: JqlContext) -> Query:
    return _Parser(jql, context).parse()


def sort_issues(
    issues: list[Issue], query: Query, key_for: Callable[[str], Callable[[Issue], Any]]
) -> list[Issue]:
    """Apply ``ORDER BY`` (stable, last key first); without one, newest issue first."""
    ordered = sorted(issues, key=lambda issue: int(issue.id), reverse=True)
    for name, descending in reversed(query.order):
        ordered.sort(key=key_for(name), reverse=descending)
    return ordered
