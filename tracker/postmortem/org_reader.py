"""Org-mode -> the Markdown-like text the rules read.

`*` headings become `#` headings, `+` items `-` items, `[[url][text]]` links Markdown links and
`#+begin_…` blocks fences. A heading with a TODO keyword ("** TODO Add a lint step", with the
`#+TODO:` line's own keywords too) is how Org users write an action item: it becomes a task
item under its parent heading, its keyword the checkbox, and its drawer's assignee, ticket and
DEADLINE the owner, reference and due date. A CANCELLED one was decided against: left out.
"""

from __future__ import annotations

import re

__all__ = ["looks_like_org", "org_to_text"]

HEADING_RE = re.compile(r"^(\*+)\s+(.*?)(?:\s+:[\w@:]+:)?\s*$")
TODO_LINE_RE = re.compile(r"^#\+(?:TODO|SEQ_TODO|TYP_TODO):\s*(.*)$", re.I | re.M)
DEFAULT_OPEN = ("TODO", "NEXT", "WAITING", "IN-PROGRESS", "STARTED", "HOLD")
DEFAULT_DONE = ("DONE", "CANCELLED", "CANCELED")
DROPPED = {"CANCELLED", "CANCELED"}
PROPERTY_RE = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
PLANNING_RE = re.compile(r"\b(?P<key>DEADLINE|SCHEDULED|CLOSED):\s*[<\[](?P<day>\d{4}-\d{2}-\d{2})")
OWNER_KEYS = {"ASSIGNEE", "OWNER", "RESPONSIBLE", "ASSIGNED"}
TICKET_KEYS = {"TICKET", "ISSUE", "JIRA", "BUG", "LINK"}


# "<2026-04-09 Thu 11:12>", "[2026-04-10 Fri 15:00]": the day and time, without the weekday.
TIMESTAMP_RE = re.compile(
    r"[<\[](?P<day>\d{4}-\d{2}-\d{2})(?:\s+[^\s\d>\]]+)?(?:\s+(?P<time>\d{1,2}:\d{2}))?[^>\]]*[>\]]"
)


def _timestamp(m: re.Match[str]) -> str:
    return f"{m['day']} {m['time']}" if m["time"] else m["day"]


def looks_like_org(text: str) -> bool:
    """`*` headings; in a file named Markdown those are `* ` bullets (see `formats.normalise`)."""
    heads = re.findall(r"^\*{1,6} \S", text, re.M)
    return len(heads) >= 2 and bool(re.search(r"^\* \S", text, re.M)) and "**" not in text[:200]


def _keywords(text: str) -> tuple[set[str], set[str]]:
    """Open and done keywords: Org's defaults plus the file's `#+TODO: A B | C D` lines."""
    open_words, done_words = set(DEFAULT_OPEN), set(DEFAULT_DONE)
    for m in TODO_LINE_RE.finditer(text):
        before, _, after = m[1].partition("|")
        open_words.update(re.sub(r"\(.*?\)", "", w) for w in before.split())
        done_words.update(re.sub(r"\(.*?\)", "", w) for w in after.split())
    return open_words, done_words


class _Task:
    """A TODO heading being read: its text and what its planning lines and drawer say."""

    def __init__(self, depth: int, done: bool, title: str) -> None:
        self.depth, self.done, self.title = depth, done, title
        self.owner = self.ticket = self.due = ""
        self.lines: list[str] = []

    def item(self, indent: str) -> list[str]:
        title = f"{self.title} (owner: {self.owner})" if self.owner else self.title
        title = f"{title} (due {self.due})" if self.due else title
        title = f"{title} {self.ticket}" if self.ticket else title
        head = f"{indent}- [{'x' if self.done else ' '}] {title}"
        return [head, *(f"{indent}  {line.strip()}" for line in self.lines if line.strip())]


def org_to_text(text: str) -> str:
    open_words, done_words = _keywords(text)
    out: list[str] = []
    task: _Task | None = None
    task_parent = 0  # depth of the heading the task items sit under
    in_block = in_drawer = skipping = False
    for line in text.splitlines():
        low = line.strip().lower()
        if low.startswith("#+begin_") or low.startswith("#+end_"):
            in_block = low.startswith("#+begin_")
            (task.lines if task else out).append("```")
            continue
        if in_block:
            (task.lines if task else out).append(line)
            continue
        heading = HEADING_RE.match(line)
        if heading is not None:
            if task is not None:
                out += task.item("  " * max(task.depth - task_parent - 1, 0))
                task = None
            depth, title = len(heading[1]), heading[2]
            word, _, rest = title.partition(" ")
            if word in open_words or word in done_words:
                skipping = word in DROPPED
                if not skipping:
                    if not out or not out[-1].lstrip().startswith("- ["):
                        task_parent = depth - 1
                    task = _Task(depth, word in done_words, rest.strip())
                continue
            skipping = False
            out.append(f"{'#' * min(depth, 6)} {title}")
            continue
        if skipping:
            continue
        if low.startswith("#+"):
            m = re.match(r"#\+(\w+):\s*(.*)", line.strip())
            if m and m[1].lower() == "title":
                out.append(f"# {m[2]}")
            continue
        if task is not None and _task_detail(task, line):
            continue
        if low == ":properties:" or low == ":end:":
            in_drawer = low == ":properties:"
            continue
        if in_drawer:
            continue
        line = TIMESTAMP_RE.sub(_timestamp, line)
        line = re.sub(r"\[\[([^\]]+)\]\[([^\]]+)\]\]", r"[\2](\1)", line)
        line = re.sub(r"\[\[([^\]]+)\]\]", r"\1", line)
        line = re.sub(r"^(\s*)\+(\s)", r"\1-\2", line)
        (task.lines if task else out).append(line)
    if task is not None:
        out += task.item("  " * max(task.depth - task_parent - 1, 0))
    return "\n".join(out)


def _task_detail(task: _Task, line: str) -> bool:
    """Read a task's planning line or drawer entry into it; False for its body text."""
    stripped = line.strip()
    if stripped.upper() in (":PROPERTIES:", ":END:"):
        return True
    planning = list(PLANNING_RE.finditer(stripped))
    if planning:
        for m in planning:
            if m["key"] == "DEADLINE":
                task.due = m["day"]
            elif m["key"] == "CLOSED":
                task.done = True
        return True
    prop = PROPERTY_RE.match(line)
    if prop is not None:
        key = prop["key"].upper()
        if key in OWNER_KEYS:
            task.owner = prop["value"]
        elif key in TICKET_KEYS:
            task.ticket = prop["value"]
        return True
    return False
