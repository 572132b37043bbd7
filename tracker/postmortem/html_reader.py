"""HTML (page exports, blog posts, Confluence) -> the Markdown-like text the rules read.

A real HTML parser (BeautifulSoup over the standard library's html.parser) walks the tree:
navigation, headers, footers, sidebars, scripts and styles are dropped; when the page marks
its content (`<main>`, `<article>`, Confluence's `#main-content`) only that is read.
Headings become `#` lines, nested lists become indented items, tables become pipe tables
with their header row (`<th>` cells, or the first row) kept apart, so the cells of
"Action | Owner | Due date | Jira" stay separate instead of running together.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Comment, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag

SKIP_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg",
     "form", "button", "select", "iframe", "head", "title", "meta", "link"}
)  # fmt: skip
SKIP_CLASS_RE = re.compile(
    r"\b(?:md-sidebar|md-nav|md-header|md-footer|md-search|sidebar|navbar|breadcrumbs?"
    r"|toc|table-of-contents|site-nav|menu|page-metadata|comment-container)\b",
    re.IGNORECASE,
)
CONTENT_SELECTORS = ("#main-content", "article", "main", "[role=main]", ".wiki-content")
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "blockquote", "dl", "dt", "dd", "figure", "figcaption", "details",
     "summary", "center", "body", "html"}
)  # fmt: skip
HEADING_RE = re.compile(r"^h([1-6])$")


def html_to_text(markup: str) -> str:
    """Markdown-like text of the page's content."""
    soup = BeautifulSoup(markup, "html.parser")
    root: Tag = soup
    for selector in CONTENT_SELECTORS:
        found = soup.select_one(selector)
        if found is not None and len(found.get_text(strip=True)) > 40:
            root = found
            break
    out: list[str] = []
    _walk(root, out, 0)
    text = "\n".join(line.rstrip() for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _skipped(tag: Tag) -> bool:
    if tag.name in SKIP_TAGS:
        return True
    classes = " ".join(tag.get("class") or [])
    if classes and SKIP_CLASS_RE.search(classes):
        return True
    return tag.get("aria-hidden") == "true" or tag.get("hidden") is not None


def _inline(node: PageElement) -> str:
    """The text of an inline run: links as [text](url), bold as **text**, no line breaks."""
    if isinstance(node, Comment | Doctype | ProcessingInstruction):
        return ""
    if isinstance(node, NavigableString):
        return str(node)
    if not isinstance(node, Tag) or _skipped(node):
        return ""
    if node.name == "br":
        return "\n"
    if node.name == "img":
        return ""
    if node.name == "time" and node.get("datetime") and node.find_parent("ac:task-body"):
        # Confluence writes a task's due date as <time datetime="2026-11-30" />.
        return f" due {node.get('datetime')} "
    inner = "".join(_inline(child) for child in node.children)
    if node.name == "a":
        href = str(node.get("href") or "")
        label = " ".join(inner.split())
        if href.startswith(("http://", "https://")) and label:
            return f"[{label}]({href})"
        return inner
    if node.name in {"strong", "b"} and inner.strip():
        return f"**{inner.strip()}**"
    if node.name == "input" and node.get("type") == "checkbox":
        return "[x] " if node.get("checked") is not None else "[ ] "
    return inner


def _text_of(node: Tag) -> str:
    return " ".join(_inline(node).replace("\n", " ").split())


def _walk(node: Tag, out: list[str], depth: int) -> None:
    for child in node.children:
        if isinstance(child, Comment | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            if str(child).strip():
                out.append(" ".join(str(child).split()) + " ")
            continue
        if not isinstance(child, Tag) or _skipped(child):
            continue
        name = child.name
        heading = HEADING_RE.match(name)
        if heading is not None:
            text = _text_of(child)
            if text:
                out.append(f"\n\n{'#' * int(heading[1])} {text.replace('**', '')}\n\n")
        elif name in {"ul", "ol"}:
            out.append("\n\n")
            _list(child, out, depth)
            out.append("\n")
        elif name == "ac:task-list":
            out.append("\n\n")
            _tasks(child, out, depth)
            out.append("\n")
        elif name == "dl" and _facts_list(child, out):
            pass
        elif name == "table":
            out.append("\n\n")
            _table(child, out)
            out.append("\n")
        elif name == "pre":
            out.append("\n\n```\n" + child.get_text() + "\n```\n\n")
        elif name == "br":
            out.append("\n")
        elif name == "hr":
            out.append("\n\n")
        elif name in BLOCK_TAGS or _has_block_child(child):
            out.append("\n\n")
            _walk(child, out, depth)
            out.append("\n\n")
        else:
            out.append(_inline(child))


def _has_block_child(tag: Tag) -> bool:
    return any(
        isinstance(c, Tag) and (c.name in BLOCK_TAGS or c.name in {"ul", "ol", "table", "pre"})
        for c in tag.children
    )


def _list(tag: Tag, out: list[str], depth: int) -> None:
    ordered = tag.name == "ol"
    number = 0
    for item in tag.find_all("li", recursive=False):
        if _skipped(item):
            continue
        number += 1
        marker = f"{number}." if ordered else "-"
        head: list[str] = []
        nested: list[Tag] = []
        for child in item.children:
            if isinstance(child, Tag) and child.name in {"ul", "ol"}:
                nested.append(child)
            elif isinstance(child, Tag) and child.name == "p":
                head.append(_inline(child) + " ")
            else:
                head.append(_inline(child))
        text = " ".join("".join(head).replace("\n", " ").split())
        out.append(f"{'    ' * depth}{marker} {text}\n")
        for sub in nested:
            _list(sub, out, depth + 1)


def _tasks(tag: Tag, out: list[str], depth: int) -> None:
    """Confluence storage format: `<ac:task>` with a status and a body, as checkbox items."""
    for task in tag.find_all("ac:task", recursive=False):
        status = task.find("ac:task-status")
        body = task.find("ac:task-body")
        done = status is not None and status.get_text(strip=True).lower() == "complete"
        text = _text_of(body) if isinstance(body, Tag) else ""
        if text:
            out.append(f"{'    ' * depth}- [{'x' if done else ' '}] {text}\n")


def _table(tag: Tag, out: list[str]) -> None:
    rows: list[list[str]] = []
    header_rows = 0
    trs = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
    if _row_headed(trs):
        # A fact sheet ("<th>Incident start</th><td>…</td>" per row): label lines.
        for tr in trs:
            cells = tr.find_all(["th", "td"], recursive=False)
            out.append(f"{_text_of(cells[0])}: {' '.join(_text_of(c) for c in cells[1:])}\n")
        out.append("\n")
        return
    for tr in trs:
        cells = tr.find_all(["th", "td"], recursive=False)
        if not cells:
            continue
        values = [_text_of(cell).replace("|", "/") for cell in cells]
        if all(cell.name == "th" for cell in cells) and len(rows) == header_rows:
            header_rows += 1
        rows.append(values)
    if not rows:
        return
    width = max(len(r) for r in rows)
    header = rows[0]
    out.append("| " + " | ".join(header + [""] * (width - len(header))) + " |\n")
    out.append("|" + "---|" * width + "\n")
    for row in rows[1:]:
        out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |\n")


def _row_headed(trs: list[Tag]) -> bool:
    """Every row is one header cell then data cells: a table of labelled facts."""
    shapes = [[c.name for c in tr.find_all(["th", "td"], recursive=False)] for tr in trs]
    shapes = [shape for shape in shapes if shape]
    return bool(shapes) and all(
        len(shape) >= 2 and shape[0] == "th" and "th" not in shape[1:] for shape in shapes
    )


def _facts_list(tag: Tag, out: list[str]) -> bool:
    """`<dl><dt>Start</dt><dd>…</dd></dl>` as `Start: …` lines; False when not that shape."""
    terms = [c for c in tag.children if isinstance(c, Tag)]
    if not terms or terms[0].name != "dt" or any(c.name not in {"dt", "dd"} for c in terms):
        return False
    out.append("\n\n")
    for term, value in zip(terms, terms[1:], strict=False):
        if term.name == "dt" and value.name == "dd":
            out.append(f"{_text_of(term)}: {_text_of(value)}\n")
    out.append("\n")
    return True
