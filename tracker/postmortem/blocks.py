"""A section's lines -> paragraphs, list trees, tables, quotes and code blocks.

Measures live in lists, tables and paragraphs; block quotes and code are kept apart so that
quoted notes and pasted logs never become action items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

LIST_ITEM_RE = re.compile(
    r"^(?P<indent>\s*)(?P<marker>[-*+•]|\d{1,3}[.)]|[a-z][.)]|#\.)\s+"
    r"(?:\[(?P<check>[ xX])\]\s*)?(?P<text>.*)$"
)
TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")


@dataclass(slots=True)
class ListItem:
    """One list entry with its continuation text and nested items."""

    text: str
    marker: str
    indent: int
    checkbox: str | None = None  # " " open, "x" done, None when not a task item
    children: list[ListItem] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    """A run of lines of one kind: 'para', 'list', 'table', 'quote' or 'code'."""

    kind: str
    lines: list[str] = field(default_factory=list)
    items: list[ListItem] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Paragraph text with soft line breaks joined."""
        return " ".join(line.strip() for line in self.lines if line.strip())


def split_row(line: str) -> list[str]:
    """Cells of one pipe-table row."""
    body = line.strip()
    body = body.removeprefix("|")
    body = body.removesuffix("|") if body.endswith("|") else body
    return [cell.strip() for cell in CELL_SPLIT_RE.split(body)]


def section_blocks(lines: list[str]) -> list[Block]:
    """`parse_blocks`, remembered: the importer reads each section in several passes.

    The blocks are shared between callers, who only read them.
    """
    return _cached_blocks(tuple(lines))


def clear_block_cache() -> None:
    """Forget remembered blocks (called once per document)."""
    _cached_blocks.cache_clear()


@lru_cache(maxsize=256)
def _cached_blocks(lines: tuple[str, ...]) -> list[Block]:
    return parse_blocks(list(lines))


def parse_blocks(lines: list[str]) -> list[Block]:
    """Group lines into blocks; list continuation lines join their item."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith(("```", "~~~")):
            i = _take_code(lines, i, blocks)
        elif stripped.startswith(">"):
            i = _take_while(lines, i, blocks, "quote", lambda s: s.strip().startswith(">"))
        elif _is_table_start(lines, i):
            i = _take_table(lines, i, blocks)
        elif LIST_ITEM_RE.match(line):
            i = _take_list(lines, i, blocks)
        else:
            i = _take_para(lines, i, blocks)
    return blocks


def _take_code(lines: list[str], i: int, blocks: list[Block]) -> int:
    fence = lines[i].strip()[:3]
    block = Block("code", [lines[i]])
    i += 1
    while i < len(lines) and not lines[i].strip().startswith(fence):
        block.lines.append(lines[i])
        i += 1
    blocks.append(block)
    return i + 1


def _take_while(lines: list[str], i: int, blocks: list[Block], kind: str, keep: object) -> int:
    block = Block(kind)
    assert callable(keep)
    while i < len(lines) and lines[i].strip() and keep(lines[i]):
        block.lines.append(lines[i])
        i += 1
    blocks.append(block)
    return i


def _is_table_start(lines: list[str], i: int) -> bool:
    if "|" not in lines[i] or i + 1 >= len(lines):
        return False
    return bool(TABLE_SEP_RE.match(lines[i + 1])) and "-" in lines[i + 1]


def _take_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    block = Block("table", [lines[i]])
    block.rows.append(split_row(lines[i]))
    i += 2
    while i < len(lines) and "|" in lines[i] and lines[i].strip():
        block.lines.append(lines[i])
        block.rows.append(split_row(lines[i]))
        i += 1
    blocks.append(block)
    return i


def _take_para(lines: list[str], i: int, blocks: list[Block]) -> int:
    block = Block("para")
    while i < len(lines) and lines[i].strip():
        if block.lines and (LIST_ITEM_RE.match(lines[i]) or _is_table_start(lines, i)):
            break
        if lines[i].strip().startswith(("```", ">")) and block.lines:
            break
        block.lines.append(lines[i])
        i += 1
    blocks.append(block)
    return i


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _take_list(lines: list[str], i: int, blocks: list[Block]) -> int:
    """A list runs until a blank line followed by an unindented non-item line."""
    block = Block("list")
    stack: list[ListItem] = []
    in_code = False
    paragraph_break = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            i += 1
            continue
        if in_code:
            i += 1
            continue
        m = LIST_ITEM_RE.match(line)
        if stripped and lines[i - 1].strip():
            paragraph_break = False
        if not stripped:
            nxt = _next_nonblank(lines, i)
            if nxt is None or not (LIST_ITEM_RE.match(lines[nxt]) or _indent(lines[nxt]) >= 2):
                break
            paragraph_break = True
            i += 1
            continue
        if m is not None:
            item = ListItem(m["text"].strip(), m["marker"], _indent(line), m["check"])
            while stack and stack[-1].indent >= item.indent:
                stack.pop()
            (stack[-1].children if stack else block.items).append(item)
            stack.append(item)
        elif stack and (_indent(line) >= 2 or lines[i - 1].strip()):
            if not stripped.startswith(("![", "<img")):
                joint = "\n\n" if paragraph_break else "\n"  # a blank line: a new paragraph
                stack[-1].text = f"{stack[-1].text}{joint}{stripped}"
        else:
            break
        i += 1
    block.lines = []
    blocks.append(block)
    return i


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None
