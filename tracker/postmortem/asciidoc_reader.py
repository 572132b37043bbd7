"""AsciiDoc -> the Markdown-like text the rules read.

Written by hand rather than through asciidoc-py: that converter runs `sys::` macros (shell
commands) unless in safe mode, and its safe mode fails on its own HTML5 backend; an imported
file must never run anything or read other files. What the rules need is small: `=` titles
to `#` headings, `*`/`.` lists (nesting by repeated markers) to indented items, `|===` tables
to pipe tables, listing and literal blocks to fences, admonitions and quotes to `> ` lines,
`link:url[text]` to Markdown links; attribute entries (`:revdate:`) become metadata.
"""

from __future__ import annotations

import re

__all__ = ["asciidoc_to_text", "looks_like_asciidoc"]

ADOC_SUFFIXES = (".adoc", ".asciidoc", ".asc")
TITLE_RE = re.compile(r"^(={1,6})\s+(\S.*)$")
ATTRIBUTE_RE = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
ITEM_RE = re.compile(r"^\s*(?P<marker>\*{1,5}|-|\.{1,5})\s+(?P<text>\S.*)$")
FENCES = ("----", "....", "```")
QUOTE_FENCE = "____"
PLAIN_FENCES = ("====", "****", "--")
ADMONITION_RE = re.compile(r"^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s+")
LINK_RE = re.compile(r"(?:link:)?(?P<url>https?://[^\s\[]+)\[(?P<text>[^\]]*)\]")
STRONG_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def looks_like_asciidoc(text: str, name: str = "") -> bool:
    """Named AsciiDoc, or a `= Title` opening with `==` sections or a `|===` table."""
    if name.lower().endswith(ADOC_SUFFIXES):
        return True
    head = text.lstrip()[:200]
    return bool(TITLE_RE.match(head)) and bool(re.search(r"^(?:== \S|\|===)", text, re.M))


def asciidoc_to_text(text: str, meta: dict[str, str]) -> str:
    """The converted text; the document's attribute entries are added to `meta`."""
    out: list[str] = []
    lines = text.splitlines()
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        i += 1
        if fence is not None:
            if stripped == fence:
                out.append("```" if fence != QUOTE_FENCE else "")
                fence = None
            else:
                out.append(f"> {line}" if fence == QUOTE_FENCE else line)
            continue
        if stripped in FENCES or stripped == QUOTE_FENCE:
            fence = stripped
            out.append("```" if stripped != QUOTE_FENCE else "")
            continue
        if stripped in PLAIN_FENCES or stripped == "+" or stripped.startswith("//"):
            continue  # block delimiters, list continuations, comments
        if stripped.startswith("|==="):
            i = _table(lines, i, out)
            continue
        if stripped.startswith(("include::", "image::", "toc::", "ifdef::", "ifndef::", "endif::")):
            continue  # never read other files
        if re.fullmatch(r"\[[^\]]*\]", stripped):
            continue  # block attributes and anchors: [cols="1,4"], [source,sh], [[id]]
        attribute = ATTRIBUTE_RE.match(stripped)
        if attribute is not None and not out or attribute is not None and _in_header(out):
            meta.setdefault(_meta_key(attribute["key"]), attribute["value"].strip())
            continue
        title = TITLE_RE.match(stripped)
        if title is not None:
            out += ["", f"{'#' * len(title[1])} {_inline(title[2])}", ""]
            continue
        item = ITEM_RE.match(line)
        if item is not None:
            marker = item["marker"]
            depth = len(marker) - 1 if marker != "-" else 0
            bullet = "1." if marker.startswith(".") else "-"
            out.append(f"{'  ' * depth}{bullet} {_inline(item['text'])}")
            continue
        admonition = ADMONITION_RE.match(stripped)
        if admonition is not None:
            out += ["", f"> {_inline(stripped)}", ""]
            continue
        out.append(_inline(line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _in_header(out: list[str]) -> bool:
    """Attribute entries count as metadata right under the document title."""
    body = [line for line in out if line.strip()]
    return len(body) == 1 and body[0].startswith("# ")


def _meta_key(key: str) -> str:
    return {"revdate": "date", "doctitle": "title"}.get(key.lower(), key.lower())


# `[.line-through]#done item#` is struck through (done); `#text#` alone is only highlighted.
STRIKE_RE = re.compile(r"\[\.(?:line-through|del)\]#([^#]+)#")
MARK_RE = re.compile(r"(?:\[[.\w-]*\])?(?<![\w#&])#([^#\s][^#]*?)(?<=\S)#(?![\w#])")


def _inline(text: str) -> str:
    text = LINK_RE.sub(lambda m: f"[{m['text'] or m['url']}]({m['url']})", text)
    if "#" in text:
        text = MARK_RE.sub(r"\1", STRIKE_RE.sub(r"~~\1~~", text))
    return STRONG_RE.sub(r"**\1**", text)


def _table(lines: list[str], i: int, out: list[str]) -> int:
    """`|===` … `|===`: cells start with `|`, one row per line or spread over lines."""
    rows: list[list[str]] = []
    current: list[str] = []
    widths: list[int] = []
    while i < len(lines) and not lines[i].strip().startswith("|==="):
        line = lines[i].strip()
        i += 1
        if not line:
            if current:
                rows.append(current)
                widths.append(len(current))
                current = []
            continue
        current += [cell.strip() for cell in line.split("|")[1:]] if line.startswith("|") else []
        if widths and len(current) >= widths[0]:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    if rows:
        width = max(len(r) for r in rows)
        padded = [r + [""] * (width - len(r)) for r in rows]
        out += ["", "| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
        out += ["| " + " | ".join(_inline(c) for c in r) + " |" for r in padded[1:]]
        out.append("")
    return i + 1
