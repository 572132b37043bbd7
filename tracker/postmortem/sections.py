"""Split a document into headed sections, whatever heading style the author used.

Markdown `#` headings, setext / reStructuredText underlines, UPPER-CASE plain-text lines,
lines that are only bold text and short `Label:` lines all start a section. Levels let the
measure finder treat sub-headings under "Action items" as part of that region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.postmortem.labels import ACTION_LABEL_RE

ATX_RE = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
UNDERLINE_RE = re.compile(r"^\s*([=\-~^*+#\"'`])\1{2,}\s*$")
BOLD_LINE_RE = re.compile(r"^\s*(?:\*\*|__)([^*_]{2,80}?)(?:\*\*|__)\s*:?\s*(?:\*\*)?\s*$")
LABEL_LINE_RE = re.compile(r"^([A-Z][\w'’/&,-]*(?:\s+[\w'’/&,-]+){0,4}):\s*$")
ITALIC_LINE_RE = re.compile(r"^\s*([_*])([A-Z][^*_]{2,60}?)\1\s*:?\s*$")
LIST_START_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#\.)\s")

# "We will make these changes:" introduces a list; it is a sentence, not a label.
INTRO_SENTENCE_RE = re.compile(
    r"(?:we|i|you|they|it|this|these|here|our|the following|following|below)\b", re.IGNORECASE
)
LEVEL_BOLD = 7  # below every real heading level


@dataclass(slots=True)
class Section:
    """One heading and the lines up to the next heading; `parent` is an index or None."""

    title: str
    level: int
    lines: list[str] = field(default_factory=list)
    parent: int | None = None
    line_no: int = 0


def clean_heading(text: str) -> str:
    """Heading text without emphasis markers or trailing colon."""
    text = re.sub(r"(\*\*|__|`)", "", text).strip()
    return text.rstrip(":").strip()


def _is_upper_heading(line: str) -> bool:
    stripped = line.strip()
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) < 3 or len(stripped) > 80 or stripped.endswith((".", ",", ";")):
        return False
    if LIST_START_RE.match(line) or stripped.startswith("|"):
        return False
    if re.match(r"[A-Z][A-Z ]{1,30}:\s+\S", stripped):
        return False  # "DATE:   2026-05-27" is a field with its value, not a heading
    return all(ch.isupper() for ch in letters) and len(stripped.split()) <= 10


def split_sections(text: str) -> list[Section]:
    """Sections in document order; text before the first heading is a level-0 section."""
    lines = text.split("\n")
    use_upper = not any(ATX_RE.match(line) for line in lines)
    sections = [Section("", 0)]
    underline_levels: dict[str, int] = {}
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        heading = None if in_code else _heading_at(lines, i, use_upper, underline_levels)
        if heading is None:
            sections[-1].lines.append(line)
            i += 1
            continue
        title, level, consumed = heading
        sections.append(Section(title, level, line_no=i))
        i += consumed
    _link_parents(sections)
    return sections


def _heading_at(
    lines: list[str], i: int, use_upper: bool, underline_levels: dict[str, int]
) -> tuple[str, int, int] | None:
    line = lines[i]
    prev_blank = i == 0 or not lines[i - 1].strip()
    m = ATX_RE.match(line)
    if m is not None:
        return clean_heading(m[2] or ""), len(m[1]), 1
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    um = UNDERLINE_RE.match(nxt)
    if (
        um is not None
        and line.strip()
        and not LIST_START_RE.match(line)
        and not line.lstrip().startswith("|")
        and len(nxt.strip()) >= min(len(line.strip()), 3)
    ):
        char = um[1]
        level = underline_levels.setdefault(char, len(underline_levels) + 1)
        return clean_heading(line), level, 2
    overline = UNDERLINE_RE.match(line) and nxt.strip() and i + 2 < len(lines)
    if overline and UNDERLINE_RE.match(lines[i + 2]):  # RST overline + title + underline
        level = underline_levels.setdefault(line.strip()[0] * 2, len(underline_levels) + 1)
        return clean_heading(nxt), level, 3
    if use_upper and _is_upper_heading(line):
        return clean_heading(line), 2, 1
    if prev_blank or i == 0:
        bm = BOLD_LINE_RE.match(line)
        if bm is not None and len(bm[1].split()) <= 10:
            return clean_heading(bm[1]), LEVEL_BOLD, 1
        lm = LABEL_LINE_RE.match(line.strip())
        if lm is not None and not LIST_START_RE.match(line) and not _is_intro(lm[1]):
            return clean_heading(lm[1]), LEVEL_BOLD, 1
        label = _bare_label(line, nxt)
        if label is not None:
            return label, LEVEL_BOLD, 1
    return None


def _is_intro(text: str) -> bool:
    """'We will make these changes', 'Beyond that, we are': a sentence that opens a list."""
    if INTRO_SENTENCE_RE.match(text):
        return True
    return "," in text and bool(INTRO_SENTENCE_RE.search(text.split(",", 1)[1]))


def _bare_label(line: str, nxt: str) -> str | None:
    """An italic line ('_Lessons learned_') or a plain action label ('Action Items') alone.

    Either stands on its own line and is followed by a blank line or a list, as a heading is.
    """
    if nxt.strip() and not LIST_START_RE.match(nxt):
        return None
    im = ITALIC_LINE_RE.match(line)
    if im is not None and len(im[2].split()) <= 5 and not im[2].rstrip().endswith("?"):
        return clean_heading(im[2])
    plain = line.strip()
    if (
        plain
        and len(plain.split()) <= 5
        and not plain.endswith((".", ",", ";", "?", "!"))
        and not LIST_START_RE.match(line)
        and plain[:1].isupper()
        and ACTION_LABEL_RE.search(plain)
    ):
        return clean_heading(plain)
    return None


def _link_parents(sections: list[Section]) -> None:
    stack: list[int] = []
    for index, section in enumerate(sections):
        while stack and sections[stack[-1]].level >= section.level:
            stack.pop()
        section.parent = stack[-1] if stack else None
        stack.append(index)


def descendants(sections: list[Section], index: int) -> list[int]:
    """Indexes of the sections nested under `index` (deeper level, until a sibling)."""
    level = sections[index].level
    out: list[int] = []
    for j in range(index + 1, len(sections)):
        if sections[j].level <= level:
            break
        out.append(j)
    return out


def ancestors(sections: list[Section], index: int) -> list[int]:
    """Indexes from the section's parent up to the root."""
    out: list[int] = []
    parent = sections[index].parent
    while parent is not None:
        out.append(parent)
        parent = sections[parent].parent
    return out
