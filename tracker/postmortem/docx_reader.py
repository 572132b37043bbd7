"""Word .docx -> the Markdown-like text the rules read, with python-docx.

Heading styles become `#` lines (Title is level 1), list paragraphs become items indented by
their level (checked when the text starts with a ballot box), a paragraph whose runs are all
bold becomes a `**label**` line, hyperlinks keep their URL, and tables become pipe tables
whose first row is the header, so an Action / Owner / Due date / Jira table reads like one
written in Markdown.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # python-docx (and lxml) load only when a .docx file is read
    from docx.table import Table
    from docx.text.paragraph import Paragraph

DOCX_SUFFIXES = (".docx", ".docm")
_HEADING_STYLE_RE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*(\d)", re.I)
_LIST_STYLE_RE = re.compile(r"list|liste|lista|lijst", re.I)


def is_docx(data: bytes, name: str = "") -> bool:
    """A Word document: a zip archive holding word/document.xml."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    if name.lower().endswith(DOCX_SUFFIXES):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_to_text(data: bytes) -> str:
    """Markdown-like text of a .docx file's body, in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            line = _paragraph(block)
            if line is not None:
                out.append(line)
        elif isinstance(block, Table):
            out.extend(_table(block))
            out.append("")
    return "\n".join(out).strip() + "\n"


def _inline(paragraph: Paragraph) -> tuple[str, bool]:
    """The paragraph's text with links as [text](url), and whether every word is bold."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

    parts: list[str] = []
    all_bold = True
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            text = item.text
            url = item.url
            parts.append(f"[{text}]({url})" if url and text.strip() else text)
            all_bold = all_bold and all(bool(r.bold) for r in item.runs if r.text.strip())
        elif isinstance(item, Run):
            parts.append(item.text)
            if item.text.strip():
                all_bold = all_bold and bool(item.bold)
    return "".join(parts), all_bold


def _list_level(paragraph: Paragraph) -> int | None:
    """The nesting level of a list paragraph (numbering or a List style), else None."""
    p_pr = paragraph._p.pPr
    num_pr: Any = p_pr.numPr if p_pr is not None else None
    if num_pr is not None and num_pr.ilvl is not None:
        return int(num_pr.ilvl.val)
    if num_pr is not None:
        return 0
    style = paragraph.style.name if paragraph.style is not None else ""
    if style and _LIST_STYLE_RE.search(style):
        digits = re.search(r"(\d)$", style)
        return int(digits[1]) - 1 if digits else 0
    return None


def _paragraph(paragraph: Paragraph) -> str | None:
    text, all_bold = _inline(paragraph)
    text = " ".join(text.split())
    if not text:
        return ""
    style = paragraph.style.name if paragraph.style is not None else ""
    if style == "Title":
        return f"\n# {text}\n"
    heading = _HEADING_STYLE_RE.match(style)
    if heading is not None:
        return f"\n{'#' * min(int(heading[1]), 6)} {text}\n"
    level = _list_level(paragraph)
    if level is not None:
        text = re.sub(r"^[☐□]\s*", "[ ] ", text)
        text = re.sub(r"^[☑☒✅]\s*", "[x] ", text)
        return f"{'    ' * level}- {text}"
    if all_bold and len(text.split()) <= 10:
        return f"\n**{text}**\n"
    return f"\n{text}\n"


def _table(table: Table) -> list[str]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(" ".join(_inline(p)[0].split()) for p in cell.paragraphs).strip()
            cells.append(value.replace("|", "/"))
        rows.append(cells)
    if not rows:
        return []
    width = max(len(r) for r in rows)
    lines = ["", "| " + " | ".join(rows[0] + [""] * (width - len(rows[0]))) + " |"]
    lines.append("|" + "---|" * width)
    lines += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows[1:]]
    return lines
