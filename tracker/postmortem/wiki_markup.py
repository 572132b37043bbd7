"""Confluence/Jira wiki markup and Slack-style checklists -> the Markdown the rules read.

Pages copied out of Confluence or Jira in their wiki markup (`h2.` headings, `||header||`
table rows, `[~user]` mentions, `{info}`/`{code}` macros) and incident-bot summaries pasted
from Slack (`:white_check_mark:` / `:black_square_button:` lines) are common ways follow-ups
reach a team's files. No maintained Python parser reads wiki markup; the rules only need its
headings, tables, mentions and macros, so this rewrites those lines and leaves the rest.
"""

from __future__ import annotations

import re

__all__ = ["looks_like_wiki_markup", "slack_checklists", "wiki_markup_to_markdown"]

HEADING_RE = re.compile(r"^h([1-6])\.\s+(\S.*)$")
HEADER_ROW_RE = re.compile(r"^\s*\|\|(.*?)\|\|\s*$")
MENTION_RE = re.compile(r"\[~([^\]\s]+)\]")
LINK_RE = re.compile(r"\[([^|\]\n]+)\|(https?://[^\]\s]+)\]")
MACRO_RE = re.compile(r"\{(?:info|note|tip|warning|panel|quote|color)(?::[^}]*)?\}")
CODE_RE = re.compile(r"^\s*\{(?:code|noformat)(?::[^}]*)?\}\s*$")
# Slack's checkbox emoji at the start of a line: done and still open.
SLACK_DONE_RE = re.compile(
    r"^(\s*)(?:[-*]\s+)?:(?:white_check_mark|heavy_check_mark|ballot_box_with_check):\s*", re.M
)
SLACK_OPEN_RE = re.compile(
    r"^(\s*)(?:[-*]\s+)?:(?:black_square_button|white_square_button|white_large_square"
    r"|black_large_square|radio_button|hourglass_flowing_sand|hourglass):\s*",
    re.M,
)


def looks_like_wiki_markup(text: str) -> bool:
    """At least two `hN.` headings, or a heading and a `||header||` table row."""
    head = text[:20000]
    headings = len(re.findall(r"^h[1-6]\.\s+\S", head, re.M))
    header_rows = len(re.findall(r"^\s*\|\|.*\|\|\s*$", head, re.M))
    return headings >= 2 or (headings >= 1 and header_rows >= 1)


def wiki_markup_to_markdown(text: str) -> str:
    """Headings to `#`, `||a||b||` rows to a pipe table's header, mentions to `@user`,
    `[text|url]` links to Markdown links, code macros to fences, other macros dropped."""
    out: list[str] = []
    for line in text.splitlines():
        if CODE_RE.match(line):
            out.append("```")
            continue
        line = MACRO_RE.sub("", line)
        line = MENTION_RE.sub(r"@\1", line)
        line = LINK_RE.sub(r"[\1](\2)", line)
        if m := HEADING_RE.match(line):
            out.append(f"{'#' * int(m[1])} {m[2]}")
        elif m := HEADER_ROW_RE.match(line):
            cells = [c.strip() for c in m[1].split("||")]
            out.append("| " + " | ".join(cells) + " |")
            out.append("|" + "---|" * len(cells))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def slack_checklists(text: str) -> str:
    """Lines opening with Slack's checkbox emoji become task-list items (`- [x]`, `- [ ]`)."""
    if ":" not in text:
        return text
    text = SLACK_DONE_RE.sub(r"\1- [x] ", text)
    return SLACK_OPEN_RE.sub(r"\1- [ ] ", text)
