"""reStructuredText -> the Markdown-like text the rules read, through docutils.

docutils parses the document (section titles under any underline, bullet and enumerated
lists whose items wrap onto indented lines, field lists, tables, substitutions) and this
module writes its tree back out as `#` headings, `- ` items (one line per item, nested items
indented), `Label: value` fields and pipe tables. Includes and raw output are switched off:
an imported file never reads other files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, roles
from docutils.transforms.references import Substitutions
from docutils.utils import SystemMessage, new_document

__all__ = ["rst_to_text"]

_SETTINGS = {
    "report_level": 5,  # quiet: a bad construct stays text instead of a warning on stderr
    "halt_level": 5,
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "doctitle_xform": False,  # keep the first title a heading
    "sectsubtitle_xform": False,
    "input_encoding": "unicode",
    "warning_stream": False,
}
_SKIP = (
    nodes.system_message,
    nodes.comment,
    nodes.substitution_definition,
    nodes.target,
    nodes.raw,
    nodes.problematic,
)


@lru_cache(maxsize=1)
def _parser() -> tuple[Parser, Any]:
    """One parser and one settings object: building docutils' option parser per file is slow."""
    _register_roles()
    settings = get_default_settings(Parser)
    for key, value in _SETTINGS.items():
        setattr(settings, key, value)
    return Parser(), settings


def _doctree(text: str) -> nodes.document:
    """Parse, then resolve `|name|` substitutions (the one transform the text needs)."""
    parser, settings = _parser()
    document = new_document("<post-mortem>", settings)
    parser.parse(text, document)
    if "|" in text:
        document.transformer.add_transform(Substitutions)
        document.transformer.apply_transforms()
    return document


def rst_to_text(text: str) -> str | None:
    """Markdown-like text of a reST document, or None when docutils cannot read it."""
    try:
        tree = _doctree(text)
    except (SystemMessage, ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None
    if any(_breaks_structure(msg) for msg in tree.findall(nodes.system_message)):
        return None  # e.g. a malformed table swallowed the rest of the file: not trustworthy
    out: list[str] = []
    _blocks(tree, out, level=0, indent="")
    body = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"


# Sphinx extensions are not loaded: their directives are left out (what they hold is rarely a
# measure) and their roles read as plain text, so neither makes the whole file unreadable.
_HARMLESS_ERRORS = ("Unknown directive type", "Unknown interpreted text role", "No role entry")
SPHINX_ROLES = (
    "ref", "doc", "term", "command", "file", "program", "option", "envvar", "kbd", "abbr",
    "samp", "guilabel", "menuselection", "issue", "pr", "gh", "jira", "bug", "func", "class",
    "meth", "mod", "attr", "data", "exc", "obj", "any", "download", "numref", "rfc",
)  # fmt: skip


def _register_roles() -> None:
    for name in SPHINX_ROLES:
        if name not in roles._roles and name not in roles._role_registry:  # noqa: SLF001
            roles.register_generic_role(name, nodes.inline)


def _breaks_structure(message: nodes.Element) -> bool:
    if message.get("level", 0) < 3:
        return False
    first = next(iter(message.findall(nodes.paragraph)), None)
    text = first.astext() if first is not None else ""
    return not text.startswith(_HARMLESS_ERRORS)


def _inline(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, _SKIP) or not isinstance(node, nodes.Element):
        return ""
    inner = "".join(_inline(child) for child in node.children)
    if isinstance(node, nodes.reference):
        uri = str(node.get("refuri") or "")
        label = " ".join(inner.split())
        if uri.startswith(("http://", "https://")) and label and label != uri:
            return f"[{label}]({uri})"
        return label or uri
    if isinstance(node, nodes.inline):
        return re.sub(r"\s*<[^<>]*>$", "", inner)  # a Sphinx role's `text <target>`
    if isinstance(node, nodes.strong) and inner.strip():
        return f"**{inner.strip()}**"
    return inner


def _one_line(node: nodes.Node) -> str:
    return " ".join(_inline(node).split())


# A list written straight under a line, with no blank line before it ("#. Parent" then
# "   #. child", or "We will:" then "- do x"): reST makes it part of the paragraph.
_RUN_IN_ITEM_RE = re.compile(r"^\s*(?:#\.|[-*+•]|\d{1,3}[.)])\s+(?=\S)")


def _run_in_items(node: nodes.Node) -> tuple[str, list[str]]:
    """A paragraph's own text and the list items its later source lines start."""
    lines = _inline(node).split("\n")
    if len(lines) < 2 or not any(_RUN_IN_ITEM_RE.match(line) for line in lines[1:]):
        return _one_line(node), []
    head: list[str] = []
    items: list[str] = []
    for line in lines:
        marker = _RUN_IN_ITEM_RE.match(line) if head or items else None
        if marker is not None:
            items.append(line[marker.end() :].strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            head.append(line.strip())
    return " ".join(" ".join(head).split()), [" ".join(i.split()) for i in items]


def _paragraph(node: nodes.Node, out: list[str], indent: str, marker: str = "") -> None:
    """A paragraph (an item's when `marker` is given), with any run-in list under it."""
    text, items = _run_in_items(node)
    if marker:
        out.append(f"{indent}{marker} {text}")
        inner = indent + "    "
    else:
        out.append(indent + text)
        inner = indent
        if items:
            out.append("")
    for number, item in enumerate(items, start=1):
        out.append(f"{inner}{number}. {item}")
    if not marker:
        out.append("")


def _blocks(node: nodes.Element, out: list[str], level: int, indent: str) -> None:
    for child in node.children:
        if isinstance(child, _SKIP) or _is_contents(child):
            continue
        if isinstance(child, nodes.section):
            _blocks(child, out, level + 1, indent)
        elif isinstance(child, nodes.title | nodes.subtitle | nodes.rubric):
            out += ["", f"{'#' * min(max(level, 1), 6)} {_one_line(child)}", ""]
        elif isinstance(child, nodes.paragraph):
            _paragraph(child, out, indent)
        elif isinstance(child, nodes.line_block):
            out += [indent + _one_line(child), ""]
        elif isinstance(child, nodes.bullet_list | nodes.enumerated_list):
            _list(child, out, indent)
            out.append("")
        elif isinstance(child, nodes.field_list | nodes.docinfo):
            _fields(child, out, indent)
        elif isinstance(child, nodes.definition_list):
            for item in child.children:
                if not isinstance(item, nodes.definition_list_item):
                    continue
                terms = [c for c in item.children if isinstance(c, nodes.term)]
                out += [indent + "**" + " ".join(_one_line(t) for t in terms) + "**", ""]
                for definition in item.children:
                    if isinstance(definition, nodes.definition):
                        _blocks(definition, out, level, indent)
        elif isinstance(child, nodes.table):
            _table(child, out)
        elif isinstance(child, nodes.literal_block | nodes.doctest_block):
            out += ["```", child.astext(), "```", ""]
        elif isinstance(child, nodes.Element):
            _blocks(child, out, level, indent)  # block quotes, admonitions, containers


def _is_contents(node: nodes.Node) -> bool:
    """The table of contents a `.. contents::` directive generates: not the document's text."""
    return isinstance(node, nodes.topic) and "contents" in node.get("classes", [])


def _list(node: nodes.Element, out: list[str], indent: str) -> None:
    numbered = isinstance(node, nodes.enumerated_list)
    for index, item in enumerate(node.children, start=1):
        if not isinstance(item, nodes.list_item):
            continue
        marker = f"{index}." if numbered else "-"
        first = True
        for part in item.children:
            if isinstance(part, _SKIP):
                continue
            if first and isinstance(part, nodes.paragraph):
                _paragraph(part, out, indent, marker)
            elif first and isinstance(part, nodes.definition_list):
                _item_as_definition(part, marker, out, indent)
            elif first:
                out.append(f"{indent}{marker} ")
                _blocks(nodes.container("", part.deepcopy()), out, 0, indent + "    ")
            elif isinstance(part, nodes.bullet_list | nodes.enumerated_list):
                _list(part, out, indent + "    ")
            elif isinstance(part, nodes.paragraph):
                out.append(f"{indent}    {_one_line(part)}")
            else:
                _blocks(nodes.container("", part.deepcopy()), out, 0, indent + "    ")
            first = False


def _item_as_definition(node: nodes.Element, marker: str, out: list[str], indent: str) -> None:
    """'#. Parent' over sub-items indented deeper, with no blank line between.

    docutils reads that as a definition list (the parent a term, the sub-items its
    definition); the writer meant an item with nested items, so that is what is written.
    """
    for number, entry in enumerate(node.children):
        if not isinstance(entry, nodes.definition_list_item):
            continue
        term = " ".join(_one_line(t) for t in entry.children if isinstance(t, nodes.term))
        out.append(f"{indent}{marker} {term}" if number == 0 else f"{indent}    {term}")
        for definition in entry.children:
            if not isinstance(definition, nodes.definition):
                continue
            for part in definition.children:
                if isinstance(part, nodes.bullet_list | nodes.enumerated_list):
                    _list(part, out, indent + "    ")
                elif isinstance(part, nodes.paragraph):
                    out.append(f"{indent}    {_one_line(part)}")
                elif isinstance(part, nodes.Element):
                    _blocks(nodes.container("", part.deepcopy()), out, 0, indent + "    ")


def _fields(node: nodes.Element, out: list[str], indent: str) -> None:
    for field in node.children:
        if isinstance(field, nodes.field):
            name = _one_line(field[0])
            value = _one_line(field[1]) if len(field.children) > 1 else ""
        elif isinstance(field, nodes.Element):
            name, value = field.tagname.capitalize(), _one_line(field)
        else:
            continue
        out.append(f"{indent}{name}: {value}")
    out.append("")


def _table(node: nodes.Element, out: list[str]) -> None:
    header: list[list[str]] = []
    body: list[list[str]] = []
    for group in node.findall(nodes.tgroup):
        for part in group.children:
            rows = header if isinstance(part, nodes.thead) else body
            if not isinstance(part, nodes.thead | nodes.tbody):
                continue
            for row in part.children:
                if isinstance(row, nodes.row):
                    cells = [_one_line(entry).replace("|", "/") for entry in row.children]
                    rows.append(cells)
        break
    rows = header[:1] + body if header else body
    if not rows:
        return
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    title = next((c for c in node.children if isinstance(c, nodes.title)), None)
    if title is not None:  # ".. csv-table:: Timeline": the title names what the rows are
        out += ["", f"**{_one_line(title)}**", ""]
    out.append("| " + " | ".join(padded[0]) + " |")
    out.append("|" + "---|" * width)
    out += ["| " + " | ".join(r) + " |" for r in padded[1:]]
    out.append("")
