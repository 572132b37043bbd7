"""Markdown -> the normalised Markdown-like text the rules read, through markdown-it-py.

The line rules guessed Markdown's structure and got CommonMark's corners wrong: setext
headings, list items continued on unindented ("lazy") lines, items nested by four spaces,
tables without outer pipes, indented code whose `- ` lines became action items. markdown-it
parses the document and this module writes its blocks back out in the one shape every reader
produces: `#` headings with plain titles, `- ` / `1. ` items one line each (nested items
indented two spaces a level, later paragraphs as indented continuation lines), pipe tables
with a separator row, fenced code, `> ` quotes.

Inline text is written as the source has it (`**`, `_`, backticks, `[text](url)`): later
rules read bold label lines and ticket URLs. So the inline parser, half of markdown-it's
time, runs only where the source alone will not do: headings (their titles lose emphasis
markers) and text using reference-style links (written out as `[text](url)`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["markdown_to_text"]

INDENT = "  "  # per nesting level of a list
FENCE_LINE_RE = re.compile(r"^\s*(?:```|~~~)")
INLINE_MARK_RE = re.compile(r"[*_`\[<\\&~!]")  # what the inline parser could change
LISTS = ("bullet_list_open", "ordered_list_open")
HARD_BREAK_RE = re.compile(r"(?<!\\)\\$")  # a line ending in one backslash breaks there


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark plus GFM tables and strikethrough, block rules only; built once (slow).

    Text nested deeper than `maxNesting` is dropped by markdown-it: 50 (not CommonMark's 20)
    keeps lists up to 24 levels deep, far beyond what documents do.
    """
    md = MarkdownIt("commonmark", {"maxNesting": 50})
    return md.enable(["table", "strikethrough"]).disable("inline")


def markdown_to_text(text: str) -> str:
    """Normalised text of a Markdown document (front matter already lifted by the caller)."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    doc = _Doc(tokens, _ends(tokens), env)
    out: list[str] = []
    doc.blocks(0, len(tokens), out, "")
    body = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"


def _ends(tokens: list[Token]) -> list[int]:
    """For each token the index of its closing token (itself for a self-contained one)."""
    ends = list(range(len(tokens)))
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(index)
        elif token.nesting == -1 and stack:
            ends[stack.pop()] = index
    return ends


class _Doc:
    """The token stream with its open/close pairs and link references, written out."""

    def __init__(self, tokens: list[Token], ends: list[int], env: dict[str, Any]) -> None:
        self.tokens = tokens
        self.ends = ends
        self.env = env

    def children(self, start: int, stop: int) -> list[int]:
        """Indexes of the blocks directly inside tokens[start:stop]."""
        found: list[int] = []
        while start < stop:
            found.append(start)
            start = self.ends[start] + 1
        return found

    def blocks(self, start: int, stop: int, out: list[str], indent: str) -> None:
        for i in self.children(start, stop):
            self.block(i, out, indent)

    def block(self, i: int, out: list[str], indent: str) -> None:
        token = self.tokens[i]
        kind = token.type
        if kind == "heading_open":
            out += ["", f"{'#' * int(token.tag[1:])} {self.plain(self.tokens[i + 1])}", ""]
        elif kind == "paragraph_open":
            text = self.inline(self.tokens[i + 1], soft="\n")
            if text.strip():
                out += [indent + line for line in text.split("\n")]
                out.append("")
        elif kind in LISTS:
            self.write_list(i, out, indent)
            out.append("")
        elif kind == "table_open":
            self.write_table(i, out, indent)
            out.append("")
        elif kind == "code_block" and _is_indented_list(token.content):
            # A list indented four spaces is code to CommonMark, but its writer meant a list
            # (nothing else in it looks like code): read it as one.
            out += [indent + line for line in token.content.rstrip("\n").split("\n")]
            out.append("")
        elif kind in ("fence", "code_block"):
            _code(token.content, out, indent)
        elif kind == "blockquote_open":
            inner: list[str] = []
            self.blocks(i + 1, self.ends[i], inner, "")
            while inner and not inner[-1].strip():
                inner.pop()
            out += [f"{indent}> {line}".rstrip() for line in inner]
            out.append("")
        elif kind == "html_block":
            out += [indent + line for line in token.content.rstrip("\n").split("\n")]
            out.append("")
        elif token.nesting == 1:
            self.blocks(i + 1, self.ends[i], out, indent)
        # thematic breaks ("hr") are dropped: they separate nothing the rules read

    def write_list(self, i: int, out: list[str], indent: str) -> None:
        """Items one line each; nested lists and later blocks indented under their item."""
        ordered = self.tokens[i].type == "ordered_list_open"
        for item in self.children(i + 1, self.ends[i]):
            marker = f"{self.tokens[item].info}." if ordered else "-"  # as written
            parts = self.children(item + 1, self.ends[item])
            if not parts:
                continue
            deeper = indent + INDENT
            if self.tokens[parts[0]].type == "paragraph_open":
                out.append(f"{indent}{marker} {self.inline(self.tokens[parts[0] + 1], soft=' ')}")
                parts = parts[1:]
            else:
                deeper = indent  # no text of its own (only code, say): no empty item line
            for part in parts:
                kind = self.tokens[part].type
                if kind == "paragraph_open":  # a later paragraph: the blank line marks it
                    out += ["", deeper + self.inline(self.tokens[part + 1], soft=" ")]
                elif kind in LISTS:
                    self.write_list(part, out, deeper)
                elif kind == "heading_open":
                    out.append(deeper + self.plain(self.tokens[part + 1]))
                else:
                    sub: list[str] = []
                    self.block(part, sub, deeper)
                    out += [line for line in sub if line.strip()]

    def write_table(self, i: int, out: list[str], indent: str) -> None:
        """A pipe table: the header row, a separator, then the body rows."""
        rows: list[list[str]] = []
        for token in self.tokens[i : self.ends[i]]:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                rows[-1].append(self.inline(token, soft=" ").replace("|", "\\|"))
        if not rows:
            return
        width = max(len(r) for r in rows)
        padded = [r + [""] * (width - len(r)) for r in rows]
        out.append(f"{indent}| " + " | ".join(padded[0]) + " |")
        out.append(indent + "|" + "---|" * width)
        out += [f"{indent}| " + " | ".join(r) + " |" for r in padded[1:]]

    def inline(self, token: Token, *, soft: str) -> str:
        """A block's inline text as written, one source line per soft or hard break.

        A table cell's `\\|` arrives unescaped: the caller escapes it again.
        """
        source = token.content
        if self.uses_reference(source):
            return _render(self.parsed(source), soft=soft, plain=False)
        lines = [HARD_BREAK_RE.sub("", line.strip()) for line in source.split("\n")]
        return soft.join(lines)

    def uses_reference(self, source: str) -> bool:
        """Whether the text names a defined link reference (`[text][label]`, `[label]`)."""
        references = self.env.get("references")
        if not references or "[" not in source:
            return False
        folded = " ".join(source.split()).upper()  # labels are matched the way markdown-it does
        return any(f"[{label}]" in folded for label in references)

    def plain(self, token: Token) -> str:
        """A heading's text without emphasis markers or code backticks; links stay (refs)."""
        source = token.content
        if INLINE_MARK_RE.search(source) is None:
            return " ".join(source.split())  # nothing to parse (most headings)
        return " ".join(_render(self.parsed(source), soft=" ", plain=True).split())

    def parsed(self, source: str) -> list[Token]:
        md = _parser()
        return md.inline.parse(source, md, self.env, [])


_LIST_LINE_RE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?[A-Z\u00c0-\uffff]")


def _is_indented_list(content: str) -> bool:
    """Every line an item opening with a capital (prose, not a command such as `- rm -rf`)."""
    lines = [line for line in content.split("\n") if line.strip()]
    return bool(lines) and all(_LIST_LINE_RE.match(line) for line in lines)


def _code(content: str, out: list[str], indent: str) -> None:
    """Fenced and indented code alike as one fenced block, so no line of it becomes an item."""
    lines = [line for line in content.rstrip("\n").split("\n") if not FENCE_LINE_RE.match(line)]
    out += [indent + "```", *(indent + line for line in lines), indent + "```", ""]


MARKED = ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close")


def _render(tokens: list[Token], *, soft: str, plain: bool) -> str:
    """Inline tokens back to text: emphasis markers as written, links as [text](url)."""
    parts: list[str] = []
    hrefs: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "text" or (kind == "html_inline" and not plain):
            parts.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(soft)
        elif kind == "code_inline":
            parts.append(token.content if plain else f"{token.markup}{token.content}{token.markup}")
        elif kind in MARKED:
            parts.append("" if plain else token.markup)
        elif kind == "link_open":
            href = str(token.attrs.get("href") or "")
            hrefs.append("" if token.markup == "autolink" else href)
            parts.append("[" if hrefs[-1] else "")
        elif kind == "link_close" and hrefs:
            href = hrefs.pop()
            parts.append(f"]({href})" if href else "")
    return "".join(parts)
