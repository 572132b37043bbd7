"""Recognise a document's shape and bring it to one Markdown-like text.

Sections, lists and tables are then found by one set of rules, whatever the source was:
reStructuredText is rewritten to headings and numbered lists, SQL migrations holding an HTML
notice are unwrapped, YAML front matter is lifted into metadata.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.postmortem.asciidoc_reader import asciidoc_to_text, looks_like_asciidoc
from tracker.postmortem.org_reader import looks_like_org, org_to_text
from tracker.postmortem.wiki_markup import (
    looks_like_wiki_markup,
    slack_checklists,
    wiki_markup_to_markdown,
)


@dataclass(slots=True)
class NormalisedDocument:
    """The text to parse, its detected format and metadata found on the way."""

    text: str
    format: str
    meta: dict[str, str] = field(default_factory=dict)


FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)---[ \t]*\n", re.DOTALL)
# Hugo writes its front matter in TOML between `+++` lines.
TOML_FRONT_MATTER_RE = re.compile(r"\A\+\+\+[ \t]*\n(?P<body>.*?\n)\+\+\+[ \t]*\n", re.DOTALL)
RST_SUBST_RE = re.compile(r"^\.\.\s+\|(?P<name>[^|]+)\|\s+replace::\s*(?P<value>.*)$", re.M)
RST_META_RE = re.compile(r"^:(?P<key>date|title|modified):[ \t]*(?P<value>\S.*)$", re.M | re.I)
RST_DIRECTIVE_RE = re.compile(r"^\.\.\s+[\w|-]+.*$")
SQL_RE = re.compile(
    r"^\s*(?:begin\s*;|insert\s+into|update\s+\w+\s+set|create\s+table)", re.I | re.M
)
SQL_LITERAL_RE = re.compile(r"'((?:[^']|'')*)'", re.DOTALL)
HTML_BLOCK_RE = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|br|table|body|html)\b", re.I)


def normalise(text: str, name: str = "") -> NormalisedDocument:
    """Detect the format and return Markdown-like text plus metadata (title, date, ...)."""
    meta: dict[str, str] = {}
    fm = FRONT_MATTER_RE.match(text)
    if fm is not None:
        meta = _simple_yaml(fm["body"])
        text = text[fm.end() :]
    elif (toml := TOML_FRONT_MATTER_RE.match(text)) is not None:
        meta = _toml_meta(toml["body"])
        text = text[toml.end() :]
    if MDX_LINE_RE.search(text[:4000]):
        text = _from_mdx(text, meta)
    if "title" not in meta and meta.get("heading"):
        meta["title"] = meta["heading"]
    if looks_like_wiki_markup(text):
        text = wiki_markup_to_markdown(text)
    text = slack_checklists(text)
    if SQL_RE.search(text) and HTML_BLOCK_RE.search(text):
        return _from_sql(text, meta)
    if _looks_like_rst(text) or _rst_by_name_or_shape(text, name):
        # A blog's field list (':date: 2016-12-19') is metadata, like front matter: the day
        # it was posted gives the year, not the incident's day.
        for m in RST_META_RE.finditer(text[:3000]):
            meta.setdefault(m["key"].lower(), m["value"].strip())
        return NormalisedDocument(rst_text(text), "rst", meta)
    if looks_like_html(text):
        return NormalisedDocument(html_to_text(text), "html", meta)
    if looks_like_asciidoc(text, name):
        return NormalisedDocument(asciidoc_to_text(text, meta), "asciidoc", meta)
    if looks_like_org(text) and not name.lower().endswith(MARKDOWN_SUFFIXES):
        return NormalisedDocument(org_to_text(text), "org", meta)
    fmt = "markdown" if re.search(r"^#{1,6}\s|^\s*[-*] \S|^\|.*\|\s*$", text, re.M) else "text"
    if "<table" in text or "<TABLE" in text:
        text = HTML_TABLE_RE.sub(lambda m: "\n" + html_to_text(m.group(0)) + "\n", text)
    if fmt == "markdown" and _is_markdown_source(text, name):
        text = markdown_text(text)
    return NormalisedDocument(strip_inline_html(text), fmt, meta)


# Files that say they are not Markdown keep the line rules even when they hold `- ` items:
# plain-text notes (where an indented line is prose, not code) and Word text already rewritten.
PLAIN_SUFFIXES = (".txt", ".text", ".docx")


def _is_markdown_source(text: str, name: str) -> bool:
    """Named Markdown, or unnamed (stdin) with a mark only Markdown makes: `#` heading, fence, link.

    Bare `- ` items are not enough: plain notes indent lists by four spaces, which CommonMark
    reads as code.
    """
    low = name.lower()
    if low.endswith(MARKDOWN_SUFFIXES):
        return True
    if low.endswith(PLAIN_SUFFIXES):
        return False
    return MARKDOWN_MARK_RE.search(text) is not None


def markdown_text(text: str) -> str:
    """Markdown -> normalised text (markdown-it-py is loaded only for Markdown documents)."""
    from tracker.postmortem.markdown_reader import markdown_to_text

    return markdown_to_text(text)


def looks_like_html(text: str) -> bool:
    """A whole HTML page or fragment (several block tags), not Markdown with an inline tag."""
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    blocks = re.findall(r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|body)\b", text[:200_000], re.I)
    return len(blocks) >= 3 and not re.search(r"^#{1,6}\s", text, re.M)


def html_to_text(markup: str) -> str:
    """HTML -> Markdown-like text (BeautifulSoup is loaded only for HTML documents)."""
    from tracker.postmortem.html_reader import html_to_text as convert

    return convert(markup)


# An HTML table written inside a Markdown document becomes a pipe table.
HTML_TABLE_RE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)
MDX_LINE_RE = re.compile(r"^(?:import\s.+\sfrom\s|export\s+(?:const|default)\s)", re.M)


def _from_mdx(text: str, meta: dict[str, str]) -> str:
    """MDX: drop `import`/`export` statements, lifting `title:` and `date:` from an export."""
    out: list[str] = []
    depth = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if depth == 0 and not MDX_LINE_RE.match(stripped):
            out.append(line)
            continue
        if depth > 0 or stripped.startswith("export"):
            m = re.match(r"^(title|date|description)\s*:\s*(['\"])(.+?)\2", stripped)
            if m is not None and m[1] not in meta:
                meta[m[1]] = m[3]
        depth += line.count("{") + line.count("(") - line.count("}") - line.count(")")
        depth = max(depth, 0)
    return "\n".join(out)


def _simple_yaml(body: str) -> dict[str, str]:
    """Flat `key: value` pairs; enough for title/date/author without a YAML dependency."""
    meta: dict[str, str] = {}
    for line in body.splitlines():
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if m and m[2]:
            meta[m[1].lower()] = m[2].strip("'\"")
    return meta


def _toml_meta(body: str) -> dict[str, str]:
    """Top-level `key = value` pairs of TOML front matter (tomllib); nothing when it is not TOML."""
    try:
        data = tomllib.loads(body)
    except tomllib.TOMLDecodeError:
        return {}
    return {
        key.lower(): value.isoformat() if isinstance(value, date | datetime) else str(value)
        for key, value in data.items()
        if isinstance(value, str | int | float | date | datetime) and not isinstance(value, bool)
    }


def _from_sql(text: str, meta: dict[str, str]) -> NormalisedDocument:
    literals = [lit.replace("''", "'") for lit in SQL_LITERAL_RE.findall(text)]
    body = max(literals, key=len, default="")
    titles = [lit.strip() for lit in literals if lit.strip() and "<" not in lit and len(lit) < 120]
    titles = [t for t in titles if not re.fullmatch(r"[\d\s:./-]+|now\(\)", t)]
    dated = [t for t in titles if re.search(r"\b\d{4}-\d{2}-\d{2}\b", t)]
    if dated and "date" not in meta:
        meta["date"] = dated[0]  # e.g. a migration version named after the day
    titles = [t for t in titles if t not in dated]
    if titles and "title" not in meta:
        meta["title"] = titles[0]
    return NormalisedDocument(html_to_text(body), "html", meta)


def _looks_like_rst(text: str) -> bool:
    if RST_SUBST_RE.search(text) or re.search(r"^\.\.\s+\w[\w-]*::", text, re.M):
        return True
    return bool(re.search(r"^#\.\s", text, re.M)) and "```" not in text


# A section title underlined (and maybe overlined) with one repeated punctuation character.
RST_UNDERLINE_RE = re.compile(
    r"^(?P<title>[^\s].*\S)[ \t]*\n(?P<line>([=\-~^\"'`#*+:._])\3{2,})[ \t]*$", re.M
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".mdown", ".mkd")
MARKDOWN_MARK_RE = re.compile(r"^#{1,6}\s|^```|\]\(https?://|^\|.*\|[ \t]*$", re.M)


def _rst_by_name_or_shape(text: str, name: str) -> bool:
    """A `.rst` file, or titles underlined the reST way with no Markdown markers around.

    In a file named Markdown, `=` and `-` underlines are setext headings, which markdown-it
    reads; only other underlines (`~~~`, `^^^`, which Markdown would misread) make it reST.
    """
    if name.lower().endswith((".rst", ".rest")):
        return True
    titles = [
        m for m in RST_UNDERLINE_RE.finditer(text) if len(m["line"]) >= len(m["title"].rstrip())
    ]
    if name.lower().endswith(MARKDOWN_SUFFIXES) and all(m["line"][0] in "=-" for m in titles):
        return False
    return len(titles) >= 2 and MARKDOWN_MARK_RE.search(text) is None


# reST the line rules below cannot read: grid tables, table directives, Sphinx roles, field
# values continued on indented lines. Only such files pay for docutils
# (about 6 ms a file); the rest keep the cheap line rules, which read them the same way.
NEEDS_DOCUTILS_RE = re.compile(
    r"^\s*\+[-=]{3,}\+|^\.\.\s+(?:list-table|csv-table|table)::|:[a-z:]+:`"
    r"|^:[^:\n]+:[^\n]*\n[ \t]+\S",
    re.M,
)


def rst_text(text: str) -> str:
    """reST through docutils where the line rules would lose structure, else the line rules."""
    if NEEDS_DOCUTILS_RE.search(text) is None:
        return _from_rst(text)
    from tracker.postmortem.rst_reader import rst_to_text  # docutils only for such files

    converted = rst_to_text(text)
    return converted if converted is not None and converted.strip() else _from_rst(text)


def _from_rst(text: str) -> str:
    subs = {m["name"]: m["value"].strip() for m in RST_SUBST_RE.finditer(text)}
    out: list[str] = []
    skipping_directive = False
    for line in text.splitlines():
        if RST_DIRECTIVE_RE.match(line):
            skipping_directive = True
            continue
        if skipping_directive and (not line.strip() or line[:1].isspace()):
            if line.strip():
                continue
            skipping_directive = False
            out.append("")
            continue
        skipping_directive = False
        if re.fullmatch(r"\s*=+(?:\s+=+)+\s*|\s*-+(?:\s+-+)+\s*", line):
            continue  # simple-table borders
        for name, value in subs.items():
            line = line.replace(f"|{name}|", value)
        line = re.sub(r"^(\s*)#\.(\s)", r"\g<1>1.\2", line)
        line = re.sub(r"^:([A-Za-z][\w ]{0,30}):\s+", r"\1: ", line)  # field lists
        line = re.sub(r"``([^`]+)``", r"\1", line)
        line = re.sub(r"`([^`<]+?)\s*<([^>]+)>`_+", r"[\1](\2)", line)
        out.append(line)
    return "\n".join(out)


def strip_inline_html(text: str) -> str:
    """Drop raw tags (`<img>`, `<div>` bylines) and comments that Markdown documents carry."""
    if "<!--" in text:
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<img\b[^>]*>", "", text, flags=re.I)
    text = re.sub(r"</?(?:div|span|time|br|sup|sub|details|summary)\b[^>]*>", "", text, flags=re.I)
    return text
