"""Find the corrective and preventive measures in a sectioned document.

Order of trust: sections headed like "Action items" (with their sub-headings carrying kind,
status, references or a due window), tables whose header names actions, a list introduced by
a sentence such as "To prevent this in the future:", and only when none of these exist,
sentences that promise work ("we plan to", "I'll improve").

Over 500 lines because the order of trust is one algorithm: splitting it by source would spread
the rules that decide between a section, a table and a sentence over several files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from tracker.postmortem.bare_refs import name_bare_references
from tracker.postmortem.blocks import Block, ListItem, section_blocks
from tracker.postmortem.classify import classify, kind_from_label, kind_hint
from tracker.postmortem.cues import (
    CJK_LEAD_RE,
    CONCLUSION_LEAD_RE,
    FOLLOWUP_CUE_RE,
    IMPERATIVE_RE,
    PROMISE_WORDS,
    PROSE_CUE_RE,
    PROSE_LEAD_RE,
    STRONG_PROMISE_RE,
    instructs,
    is_action_like,
    is_action_sentence,
    is_named_work,
    sentences,
    without_lead,
)
from tracker.postmortem.dates import DateContext, find_dates, period_end
from tracker.postmortem.inline import (
    DONE_WORDS,
    InlineFacts,
    priority_in,
    priority_word,
    read_item,
    refs_in,
    strip_markup,
)
from tracker.postmortem.labels import (
    ACTION_LABEL_RE,
    ACTION_TABLE_RE,
    ACTION_VERBS,
    COLUMN_ROLE_RES,
    DISTRACTOR_LABEL_RE,
    SUB_DISTRACTOR_LABEL_RE,
    TITLE_COLUMN_RE,
    is_action_label,
    is_nothing,
)
from tracker.postmortem.model import Kind, ParsedMeasure, Priority
from tracker.postmortem.periods import month_period_end
from tracker.postmortem.reports import (
    GENERIC_STEPS_RE,
    PREVENTION_CUE_RE,
    PREVENTION_WORDS,
    WORK_REPORT_RE,
    as_instruction,
    owner_statement,
    reported_work,
    reported_work_other,
    subject_owner,
    work_owner,
)
from tracker.postmortem.sections import LEVEL_BOLD, Section, descendants

ACTION_HEADING_RE = ACTION_LABEL_RE
DISTRACTOR_HEADING_RE = DISTRACTOR_LABEL_RE
SUB_DISTRACTOR_RE = SUB_DISTRACTOR_LABEL_RE
PROSE_SKIP_HEADING_RE = re.compile(
    r"went (?:well|wrong|badly)|lucky|timeline|chronolog|contributing"
    r"|root cause|\bcauses?\b|\bimpact\b|\bdetection\b|\blogs?\b|appendix",
    re.IGNORECASE,
)
INTRO_CUE_RE = re.compile(
    r"prevent|future|improve|action|follow.?up|measures|changes|next steps|going forward"
    r"|we will|we'll|we’ll|\bplan|recurr|remediat|avoid|agreed|decided|committed"
    # the same in the other languages: prevent, avoid, measures, from now on, improve
    r"|prevenir|evitar|medidas|futuro|mejora|melhoria|[ée]viter|mesures|avenir|am[ée]lior"
    r"|vermeiden|verhindern|ma(?:ß|ss)nahmen|k[üu]nftig|zuk[üu]nftig|evitare|prevenire|misure"
    r"|voorkomen|maatregelen|предотвра|избежа|меры|улучш|tr[áa]nh|ph[òo]ng ng[ừu]a|bi[ệe]n ph[áa]p"
    r"|再発防止|防止|対策|今後|改善|避免|防止|措施|改进|今后|재발|방지|조치|개선|향후",
    re.IGNORECASE,
)


FOLLOWUP_SECTION_RE = re.compile(
    r"lesson|conclusion|closing|looking forward|what'?s next|going forward|prevent|future"
    r"|final|wrap|takeaway|reflection|总结|反思|结论|まとめ|今後|결론|교훈|fazit|ausblick"
    r"|conclus|le[cç]|bài học|k[ếe]t lu[ậa]n|вывод|заключени",
    re.IGNORECASE,
)
LESSONS_RE = re.compile(
    r"lessons?|takeaways?|learnings?|教训|教訓|교훈|bài học|lecciones|li[cç][õo]es|le[cç]ons"
    r"|erkenntnisse|lezioni|уроки",
    re.IGNORECASE,
)
# A paragraph that announces the list after it as follow-ups, with or without a colon.
NEXT_STEPS_RE = re.compile(
    r"\bnext steps\b|\baction items\b|\bfollow[- ]?ups?\b|\bgoing forward\b",
    re.IGNORECASE,
)
# A promise about the write-up itself ("we will update this post-mortem") is not a measure.
ABOUT_DOCUMENT_RE = re.compile(
    r"\b(?:this|the|our) (?:post-?mortem|document|report|page|write-?up|blog post|article)\b"
    r"|\bfollowing (?:format|form|template)\b|^here we\b|\bkeep you (?:posted|updated)\b"
    # talk about the incident, or about learning in general: "we want to talk about how …",
    # "we will keep publishing what we learn", "We'll do better"
    r"|\b(?:want|like|wish) to (?:talk|share|explain|describe|walk|tell|give|apologi[sz]e|thank)\b"
    r"|\bwhat we(?:'ve| have)? learn(?:ed|t)?\b|\bdo better\b"
    r"|\bpublish (?:a |an |the |our )?(?:full |detailed |complete )?(?:review|post-?mortem|report|rca"
    r"|root cause analysis|incident report)\b",
    re.IGNORECASE,
)
# An example written into a template, not a measure: "e.g. …", "Example: …", "z. B. …", "例：…".
EXAMPLE_RE = re.compile(
    r"^\s*(?:e\.\s?g\.|eg[.:]|ex(?:ample)?\s*[.:]|for example\b|z\.\s?b\.|p\.\s?ej\.|ex\.?:"
    r"|por ejemplo|por exemplo|par exemple|zum beispiel|ad esempio|bijvoorbeeld|например"
    r"|例[：:]|例如|예[：:)]|예시|ví dụ)",
    re.IGNORECASE,
)
# Between an item and the sub-items that explain it (they go into its description).
DETAILS_MARK = "\x1f"
# A Chinese clause led by an action verb (after "and"/"further"-like words) is one action.
# A sub-item that adds an action rather than explaining its parent ("also prune images").
ADDITIONAL_RE = re.compile(
    rf"^(?:also|additionally|in addition,?|and also|plus)\s+(?:{ACTION_VERBS})\b",
    re.IGNORECASE,
)
CHINESE_JOIN_RE = re.compile(r"^(?:并且|并|同时|以及|还将|还会|也将)")
CHINESE_ACTION_RE = re.compile(
    r"^(?:并且|并|同时|以及|还将|还会|也将)?(?:进一步|全面|逐步|持续|定期|严格|尽快)?"
    r"(?:加强|实施|强制|建立|完善|优化|引入|增加|部署|制定|推进|开展|提升|采用|启用|禁用|限制"
    r"|修复|更新|升级|监控|审计|检查|培训|规范|落实|改进|加固|替换|迁移|轮换|更换|备份|审查|评审"
    r"|演练|测试|隔离|关闭|移除|删除|记录|通知)"
)
CONFIDENCE_HEADING = 0.9  # a list or table under an action heading
CONFIDENCE_LABEL = 0.85  # under a bold or plain-line label
CONFIDENCE_INTRO = 0.75  # a list after "To prevent this in the future:"
CONFIDENCE_LESSON = 0.65  # an instruction in a lessons list, when there is no action section
CONFIDENCE_PROSE_WEAK = 0.4  # "is working on" in prose
CONFIDENCE_PROSE_STRONG = 0.6  # "we will" in a follow-up-ish section
CELL_DONE_RE = re.compile(r"\b(?:done|completed?|closed|fixed|resolved|merged)\b")
CELL_IN_PROGRESS_RE = re.compile(r"(?:in|on)[ -]progress|\bwip\b|ongoing|started")
CELL_OPEN_RE = re.compile(r"\b(?:todo|to do|open|planned|not started)\b")
# Every status word above contains one of these; most cells hold none of them.
CELL_HINT_RE = re.compile(
    r"done|complet|closed|fixed|resolved|merged|progress|wip|ongoing|start|todo|to do|open|planned"
)
NON_WORD_RE = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class Context:
    """What enclosing sub-headings say about every item under them."""

    section: str = ""
    kind: Kind | None = None
    status: str | None = None
    # A weaker kind from a time-horizon heading ("Immediate actions"), used when words are silent.
    hint: Kind | None = None
    ref: str | None = None
    due: date | None = None
    # Why items here are measures, in words a person can check, and how sure that is.
    reason: str = ""
    confidence: float = CONFIDENCE_HEADING


def is_action_heading(title: str) -> bool:
    """'Action items', 'Remediation', 'Lessons learned / next steps' yes; 'Lessons learned' no.

    A translated heading that keeps the English in parentheses is read by either part.
    """
    plain = strip_markup(title).strip()
    return bool(plain) and is_action_label(plain)


def heading_context(title: str, base: Context, ctx: DateContext) -> Context:
    """Merge a sub-heading's kind, status, reference and due window into the context."""
    low = title.lower()
    status = base.status
    if re.search(r"\b(?:completed?|done|finished|resolved|implemented)\b", low):
        status = "done"
    elif re.search(r"in[ -]progress|ongoing|under ?way|\bwip\b|started", low):
        status = "in_progress"
    refs = refs_in(title)
    section = strip_markup(title) or base.section
    return Context(
        reason=f"under '{section}'" if section else base.reason,
        confidence=base.confidence,
        section=section,
        kind=kind_from_label(title) or base.kind,
        hint=kind_hint(title) or base.hint,
        status=status,
        ref=refs[0] if refs else base.ref,
        due=period_end(title, ctx) or base.due,
    )


def find_measures(sections: list[Section], ctx: DateContext) -> list[ParsedMeasure]:
    """All measures in document order, deduplicated by title."""
    regions = action_regions(sections)
    measures: list[ParsedMeasure] = []
    in_region = {i for root in regions for i in [root, *descendants(sections, root)]}
    for index, section in enumerate(sections):
        if index in in_region:
            continue
        for block in section_blocks(section.lines):
            if block.kind == "table" and ACTION_TABLE_RE.search(" ".join(block.rows[0])):
                context = Context(section=strip_markup(section.title))
                measures += _table_measures(block, context, ctx)
    for root in regions:
        measures += _region_measures(sections, root, ctx)
    measures += _intro_list_measures(sections, ctx, in_region)
    if not measures:
        measures = _imperative_lessons(sections, ctx)
    structured = bool(measures)
    measures += _prose_measures(sections, ctx, in_region, structured=structured)
    measures = [m for m in measures if not is_nothing(m.title)]
    return _dedupe(name_bare_references(measures))


def action_regions(sections: list[Section]) -> list[int]:
    """The sections (by index) whose heading or label names measures; not the title."""
    roots: list[int] = []
    covered: set[int] = set()
    # The document's own title ("# Follow-up to the outage") is not an action section.
    first_heading = next((i for i, s in enumerate(sections) if s.level > 0), None)
    if first_heading is not None and any(line.strip() for line in sections[0].lines):
        first_heading = None
    for index, section in enumerate(sections):
        if index in covered or index == first_heading or not section.title:
            continue
        if is_action_heading(section.title):
            roots.append(index)
            covered.update(descendants(sections, index))
    return roots


def _region_measures(sections: list[Section], root: int, ctx: DateContext) -> list[ParsedMeasure]:
    title = strip_markup(sections[root].title)
    is_label = sections[root].level >= LEVEL_BOLD
    base = Context(
        section=title,
        reason=f"under {'label' if is_label else 'heading'} '{title}'",
        confidence=CONFIDENCE_LABEL if is_label else CONFIDENCE_HEADING,
    )
    contexts: dict[int, Context] = {root: base}
    measures: list[ParsedMeasure] = []
    for index in [root, *descendants(sections, root)]:
        section = sections[index]
        parent = section.parent if section.parent in contexts else root
        if index != root:
            if SUB_DISTRACTOR_RE.search(section.title):
                contexts[index] = replace(contexts[parent], kind=None)
                continue
            contexts[index] = heading_context(section.title, contexts[parent], ctx)
        if index != root and SUB_DISTRACTOR_RE.search(sections[parent].title):
            continue
        measures += _section_measures(section, contexts[index], ctx)
    return measures


def _section_measures(section: Section, context: Context, ctx: DateContext) -> list[ParsedMeasure]:
    blocks = [b for b in section_blocks(section.lines) if b.kind in ("para", "list", "table")]
    found: list[ParsedMeasure] = []
    for block in blocks:
        if block.kind == "table":
            found += _table_measures(block, context, ctx)
        elif block.kind == "list":
            for item in block.items:
                for text in _expand(item):
                    head = _measure(text, context, ctx)
                    later = _later_promises(head, context, ctx)
                    # "Weekend coverage: we are 4 volunteers. … he'll set up alerts": the
                    # opening states the situation, the later promise is the measure.
                    if not (
                        later and SITUATION_RE.search(head.title) and not is_action_like(head.title)
                    ):
                        found.append(head)
                    found += later
    if found:
        # Beside the list, a paragraph that promises work is one more (less certain) item.
        promise = replace(context, confidence=CONFIDENCE_PROSE_STRONG + 0.05)
        for block in blocks:
            if block.kind == "para":
                found += _promises(block.text, promise, ctx, strong_only=True, reports=True)
        return [m for m in found if m.title]
    # Prose under an action heading: a paragraph that neither instructs nor promises ("Thanks
    # to everyone who helped") is offered for review rather than imported.
    unsure = replace(
        context,
        confidence=CONFIDENCE_PROSE_WEAK + 0.1,
        reason=f"a paragraph with no action verb {context.reason}",
    )
    paragraphs = [b for b in blocks if b.kind == "para"]
    for block in paragraphs:
        # "We've added X, and we are building Y": the work each sentence reports or promises
        reported = _promises(block.text, context, ctx, reports=True)
        items = list(_paragraph_items(block))
        # Reported work beats the paragraph read whole when it finds more, or when no
        # sentence of the paragraph instructs ("We have already paused X; …").
        if len(reported) > len(items) or (
            reported and not any(is_action_sentence(text) for text in items)
        ):
            found += reported
            continue
        for text in items:
            sure = len(paragraphs) == 1 or is_action_sentence(text)
            measure = _measure(without_lead(text), context if sure else unsure, ctx)
            found.append(_owned_after(measure, strip_markup(block.text), text))
    return [m for m in found if m.title]


def _owned_after(measure: ParsedMeasure, paragraph: str, sentence: str) -> ParsedMeasure:
    """A measure whose next sentence hands it to someone ('Das übernimmt Lena Hoffmann.')."""
    at = paragraph.find(strip_markup(sentence)[:40])
    if measure.owner is not None or at < 0:
        return measure
    after = sentences(paragraph[at:])[1:2]
    named = owner_statement(after[0]) if after and len(after[0].split()) <= 8 else None
    return replace(measure, owner=named) if named else measure


def _expand(item: ListItem) -> Iterator[str]:
    """An item, or its children when they are the actions ('alerting for:', sub-checkboxes).

    Otherwise sub-items explain their parent: they go into its description (after a line
    break that `read_item` keeps out of the title). A ticked checkbox becomes a leading DONE
    marker, which `read_item` turns into a status.
    """
    for text in _expand_tree(item):
        yield f"DONE {text}" if item.checkbox in ("x", "X") else text


def _expand_tree(item: ListItem) -> Iterator[str]:
    head = item.text.split("\n", 1)[0].strip()
    if item.children and head.endswith((":", "：")):
        lead = head.rstrip(":：").strip()
        for child in item.children:
            for text in _expand_tree(child):
                yield f"{lead} {text}"
        return
    if item.children and (
        (
            item.checkbox is not None
            and all(c.checkbox is not None for c in item.children)
            and not all(_opens_lowercase(c) for c in item.children)
        )
        or all(is_action_like(c.text) for c in item.children)
    ):
        if not _is_group_label(head):
            yield item.text
        for child in item.children:
            yield from _expand(child)
        return
    if head.endswith((":", "：")) and "\n" not in item.text:
        return  # an introductory line with nothing under it
    if (
        item.children
        and "\n" not in item.text
        and _is_topic(head)
        and any(is_action_like(c.text) for c in item.children)
    ):
        for child in item.children:  # "- Monitoring" over the actions it groups
            yield from _expand(child)
        return
    if item.children:
        # Sub-items that instruct are measures of their own; the rest explain their parent.
        own = [c for c in item.children if _is_own_action(c)]
        rest = [c for c in item.children if c not in own] if own else item.children
        details = "; ".join(_flatten(rest))
        yield f"{item.text}{DETAILS_MARK}{details}" if details else item.text
        for child in own:
            yield from _expand(child)
        return
    yield item.text


def _later_promises(
    measure: ParsedMeasure, context: Context, ctx: DateContext
) -> list[ParsedMeasure]:
    """A second planned action inside one item ('… We also need to create a script …')."""
    rest = measure.description.split("\n", 1)[0]
    if not rest or measure.title not in rest:
        return []
    low = rest.lower()
    if not any(word in low for word in PROMISE_WORDS):
        return []
    after = rest[rest.find(measure.title) + len(measure.title) :]
    found: list[ParsedMeasure] = []
    for part in sentences(after.lstrip(" .;")):
        # "…; he'll set up phone alerts": a named helper's promise inside an item
        clause = part.split("; ")[-1]
        third = THIRD_PERSON_PROMISE_RE.match(clause)
        sentence = "we will " + clause[third.end() :] if third else part
        if STRONG_PROMISE_RE.search(sentence) and not ABOUT_DOCUMENT_RE.search(sentence):
            cue = STRONG_PROMISE_RE.search(sentence)
            assert cue is not None
            title = PROSE_LEAD_RE.sub("", sentence, count=1)
            title = re.sub(
                r"^(?:we|I)\s+(?:also\s+)?(?:need|have|want|plan) to\s+", "", title, flags=re.I
            )
            reason = f"'{cue[0].lower()}' later in an item {context.reason}"
            promise = replace(context, confidence=CONFIDENCE_INTRO, reason=reason)
            if ABOUT_READER_RE.match(title) or SAME_WORK_RE.match(title):
                continue  # "I'll have it done this week", "I'll roll the same check out to …"
            extra = _measure(title[:1].upper() + title[1:], promise, ctx)
            if extra.title and extra.title != measure.title:
                found.append(extra)
    return found


def _is_group_label(head: str) -> bool:
    """'Monitoring' over instructions names their topic; it is not a measure itself."""
    plain = strip_markup(head).rstrip(" .:：")
    short = 0 < len(plain.split()) <= 3 if plain.isascii() else 0 < len(plain) <= 12
    return short and not is_action_like(plain)


def _is_topic(head: str) -> bool:
    """'Monitoring', 'Konfiguracja RabbitMQ', 'Procedures': a short name with no verb or
    sentence punctuation, which only groups the items under it."""
    plain = strip_markup(head)
    if (
        not plain
        or plain.endswith((".", "!", "?", ";", ",", "。"))
        or any(c in plain for c in "()")
    ):
        return False
    return _is_group_label(plain) and not any(ch.isdigit() for ch in plain)


def _is_own_action(child: ListItem) -> bool:
    """A capitalised instruction among sub-items; 'check the date daily' only explains,
    but 'also prune old images' adds an action of its own."""
    if child.children:
        return False
    if ADDITIONAL_RE.match(strip_markup(child.text)):
        return True
    return not _opens_lowercase(child) and is_action_like(child.text)


def _opens_lowercase(item: ListItem) -> bool:
    """A sub-item that continues its parent's sentence ('check the expiry date daily')."""
    return strip_markup(item.text)[:1].islower()


def _flatten(items: list[ListItem]) -> Iterator[str]:
    for child in items:
        yield strip_markup(child.text.replace("\n", " "))
        yield from _flatten(child.children)


def _paragraph_items(block: Block) -> Iterator[str]:
    """A paragraph's measures: its lines when each is a sentence, else its action sentences."""
    text = block.text
    if not text or text.endswith(":") or _is_prompt(text) or not strip_markup(text):
        return
    lines = [line.strip() for line in block.lines if line.strip()]
    if len(lines) > 1 and all(_is_sentence_line(line) for line in lines):
        for line in lines:
            if not line.endswith(":"):
                yield line
        return
    parts = sentences(strip_markup(text))
    promised = [s for s in parts if is_action_sentence(s)]
    if len(parts) > 1 and promised:
        yield from promised
        return
    yield text


def _is_sentence_line(line: str) -> bool:
    return line[:1].isupper() and line.rstrip().endswith((".", "!", "?", ")", ":"))


def _is_prompt(text: str) -> bool:
    """Template prompts left in ('_What caused this situation?_') are not content."""
    return bool(re.fullmatch(r"[_*][^_*]+[_*]", text.strip()))


def _measure(
    raw: str, context: Context, ctx: DateContext, label: Kind | None = None
) -> ParsedMeasure:
    raw, _, details = raw.partition(DETAILS_MARK)
    facts: InlineFacts = read_item(raw, ctx)
    if facts.title[:1] in "WI" and (work := reported_work(facts.title)) is not None:
        # "We have fixed the defect" / "We are adding signals": the instruction, and its state
        under_way = WORK_REPORT_RE.match(facts.title)["ing"] is not None  # type: ignore[index]
        facts.status = facts.status or ("in_progress" if under_way else "done")
        facts.title = work
    if details:
        facts.description = f"{facts.description}\n{details}".strip()
    if (
        facts.owner is None
    ):  # "… every month. Priya owns this.", "— o Rafael já está cuidando disso"
        facts.owner = owner_statement(facts.description or facts.title)
    return _measure_from(
        facts,
        context,
        label=label,
        owner=facts.owner,
        priority=facts.priority,
        due=facts.due or context.due,
        ref=facts.refs[0] if facts.refs else context.ref,
        status=facts.status or context.status,
    )


def _measure_from(
    facts: InlineFacts,
    context: Context,
    *,
    label: Kind | None,
    owner: str | None,
    priority: Priority | None,
    due: date | None,
    ref: str | None,
    status: str | None,
) -> ParsedMeasure:
    if EXAMPLE_RE.match(facts.title):  # a template's "e.g. Add alert on …" row
        context = replace(
            context, confidence=min(context.confidence, 0.3), reason=f"an example {context.reason}"
        )
    return ParsedMeasure(
        title=facts.title,
        kind=classify(
            facts.title,
            description=facts.description,
            label=label,
            heading=context.kind,
            hint=context.hint,
        ),
        description=facts.description,
        owner=owner,
        priority=priority,
        due_date=due,
        tracking_ref=ref,
        doc_status=status,
        section=context.section,
        confidence=context.confidence,
        reason=context.reason,
    )


def _intro_list_measures(
    sections: list[Section], ctx: DateContext, skip: set[int]
) -> list[ParsedMeasure]:
    """Lists right after a sentence like 'To prevent similar issues, we made changes:'."""
    measures: list[ParsedMeasure] = []
    for index, section in enumerate(sections):
        if index in skip or _skipped_for_prose(sections, index, DISTRACTOR_HEADING_RE):
            continue
        blocks = section_blocks(section.lines)
        for prev, block in zip(blocks, blocks[1:], strict=False):
            if block.kind != "list" or prev.kind != "para":
                continue
            intro = prev.text
            announces = intro.endswith((":", "：")) and INTRO_CUE_RE.search(intro)
            if announces or NEXT_STEPS_RE.search(intro):
                context = Context(
                    section=strip_markup(section.title),
                    reason=f"list introduced by '{_short(strip_markup(intro))}'",
                    confidence=CONFIDENCE_INTRO,
                )
                for item in block.items:
                    measures += [_measure(t, context, ctx) for t in _expand(item)]
    return [m for m in measures if m.title]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _skipped_for_prose(sections: list[Section], index: int, pattern: re.Pattern[str]) -> bool:
    node: int | None = index
    while node is not None:
        if sections[node].level > 1 and pattern.search(sections[node].title):
            return True
        node = sections[node].parent
    return False


def _prose_measures(
    sections: list[Section], ctx: DateContext, skip: set[int], *, structured: bool
) -> list[ParsedMeasure]:
    """Sentences that promise work ("we will …", "next time we will …", "未来，我们将…").

    Outside the action sections, in paragraphs (and, in follow-up-ish sections, list items).
    Prose is less certain than a list under a heading: a strong cue in a follow-up-ish section
    (lessons, conclusion, closing paragraphs) or in a document with no structured measures
    reaches the import threshold; anything else is offered for review.
    """
    measures: list[ParsedMeasure] = []
    # In an update log the newest update closes it, wherever it stands (often first).
    dated = _dated_updates(sections, ctx)
    last = _closing_sections(sections) - set(dated.values()) | _latest(dated)
    for index, section in enumerate(sections):
        if index in skip:
            continue
        blocks = section_blocks(section.lines)
        if _skipped_for_prose(sections, index, PROSE_SKIP_HEADING_RE):
            if section.level < LEVEL_BOLD:
                continue
            blocks = blocks[1:]  # a label ('Timeline:') introduces only the block under it
        title = strip_markup(section.title)
        followup = index in last or bool(FOLLOWUP_SECTION_RE.search(title))
        # Promises weigh more in a follow-up-ish section, and a little more when the document
        # has no list or table of measures at all (then prose is where its follow-ups are).
        base = CONFIDENCE_PROSE_WEAK + (0.1 if followup else 0.0) + (0.0 if structured else 0.04)
        where = f"'{title}'" if title else "the opening prose"
        context = Context(section=title, reason=where, confidence=base)
        # Work under way ("is working on", "are being rotated") told at the close of a
        # document that lists no measures is how that document states its follow-ups.
        lift = CONFIDENCE_PROSE_STRONG - base if followup and not structured else 0.0
        found: list[ParsedMeasure] = []
        for block in blocks:
            if block.kind == "para":
                found += _promises(block.text, context, ctx, weak_lift=lift)
            elif block.kind == "list" and followup:
                found += _list_promises(block, context, ctx, lift)
        measures += found
    return measures


def _list_promises(
    block: Block, context: Context, ctx: DateContext, lift: float
) -> list[ParsedMeasure]:
    """The promises of a list's items, and the work its other items name beside them.

    In "- the outage is over / - continued monitoring of the login / - a report will be
    written" the middle item is a follow-up as much as the last one is, told as a noun.
    """
    each = [_promises(i.text.replace("\n", " "), context, ctx, weak_lift=lift) for i in block.items]
    promised = [m for found in each for m in found]
    found: list[ParsedMeasure] = []
    for item, promises in zip(block.items, each, strict=True):
        if promises or not promised or not is_named_work(item.text):
            found += promises
            continue
        beside = replace(
            context,
            confidence=max(m.confidence for m in promised),
            reason=f"work named beside a promise in {context.reason}",
        )
        found.append(_measure(item.text.replace("\n", " "), beside, ctx))
    return found


def _promises(
    text: str,
    context: Context,
    ctx: DateContext,
    *,
    strong_only: bool = False,
    weak_lift: float = 0.0,
    reports: bool = False,
) -> list[ParsedMeasure]:
    """One measure per sentence of `text` that promises future work.

    Work reported as done or under way ("We've added …", "We're moving …") is a measure too
    where the paragraph is about measures: beside a list under an action heading (`reports`),
    or from a sentence that says the work is meant to stop a recurrence ("To prevent this
    from happening again, …", "We have since …") to the paragraph's end.
    """
    found: list[ParsedMeasure] = []
    low = text.lower()
    promising = any(word in low for word in PROMISE_WORDS)
    preventing = any(word in low for word in PREVENTION_WORDS)
    if not promising and not preventing and not reports:
        return found  # plain substring tests spare the regular expressions on most prose
    announced = reports
    reported = f"work reported {context.reason}"
    for sentence in sentences(strip_markup(text)):
        if sentence.endswith(("?", "？", ":", "：")) or ABOUT_DOCUMENT_RE.search(sentence):
            continue  # a question, the introduction of a list, a note about the write-up
        named = owner_statement(sentence) if found else None
        if named is not None and found[-1].owner is None and len(sentence.split()) <= 8:
            found[-1] = replace(found[-1], owner=named)  # "Das übernimmt Lena Hoffmann."
            continue
        cause = PREVENTION_CUE_RE.search(sentence) if preventing else None
        cause = cause or (FOLLOWUP_CUE_RE.search(sentence) if promising else None)
        if cause is not None and not announced and not RECOVERY_RE.search(sentence):
            announced = True
            context = replace(
                context, confidence=max(context.confidence, CONFIDENCE_PROSE_STRONG + 0.1)
            )
            reported = f"'{' '.join(cause[0].split()).lower()}' in {context.reason}"
        work = reported_work(sentence) if announced else None
        other = reported_work_other(sentence) if announced and work is None else None
        if other is not None:  # "Para evitar que se repita, hemos añadido una alerta …"
            found += _clause_measures(other, replace(context, status="done", reason=reported), ctx)
            continue
        if work is not None and not GENERIC_STEPS_RE.search(sentence):
            status = "done" if WORK_REPORT_RE.match(sentence)["ing"] is None else "in_progress"  # type: ignore[index]
            done = replace(context, status=context.status or status, reason=reported)
            found += _clause_measures(work, done, ctx, done=True, owner=work_owner(sentence))
            continue
        if not promising:
            continue
        marked = FOLLOWUP_CUE_RE.search(sentence)
        strong = marked or STRONG_PROMISE_RE.search(sentence)
        weak = strong or PROSE_CUE_RE.search(sentence)
        if weak is None or (strong_only and strong is None):
            continue
        cue = " ".join(weak[0].split()).strip(" ,，")
        title = without_lead(HORIZON_LEAD_RE.sub("", sentence, count=1))
        title = CONCLUSION_LEAD_RE.sub("", title, count=1)
        title = PROSE_LEAD_RE.sub("", title, count=1)
        title = CJK_LEAD_RE.sub("", title, count=1)
        title = title[:1].upper() + title[1:]
        lift = 0.2 if marked else 0.15 if strong else weak_lift
        confidence = min(context.confidence + lift, 0.75)
        if strong_only or announced:
            confidence = max(context.confidence, confidence if announced else 0.0)
        where = context.reason if context.reason.startswith("under") else f"in {context.reason}"
        reason = f"'{cue.lower()}' {where}" if where else f"'{cue.lower()}'"
        promise = replace(context, confidence=confidence, reason=reason)
        found += _clause_measures(title, promise, ctx)
    return found


def _clause_measures(
    title: str,
    context: Context,
    ctx: DateContext,
    *,
    done: bool = False,
    owner: str | None = None,
) -> list[ParsedMeasure]:
    """The measures of one sentence: one per instruction joined by 'and'."""
    found: list[ParsedMeasure] = []
    parts = [p for part in _english_clauses(title) for p in _done_clauses(part, done=done)]
    for part in parts:
        if done and UNDER_WAY_RE.match(part):
            context = replace(context, status="in_progress")  # "…, and we are building Y"
        named, part = subject_owner(part)
        part = as_instruction(part)
        if ABOUT_READER_RE.match(part):
            continue  # "Update you as soon as we know more", "Credit your account"
        if done and PRONOUN_WORK_RE.match(part):
            continue  # "(we already) published them on Sunday": points back, names nothing
        measure = _measure(part, context, ctx)
        if (named or owner) is not None and measure.owner is None:
            measure = replace(measure, owner=named or owner)
        if measure.title and (len(measure.title.split()) >= 3 or not measure.title.isascii()):
            found.append(measure)
    return found


UNDER_WAY_RE = re.compile(r"^(?:(?:we|I)\s*(?:are|'re|’re|am|'m)\s+(?:also\s+)?)?[a-z]+ing\b", re.I)
# "Going forward, …", "In the longer term, …": when, not what.
HORIZON_LEAD_RE = re.compile(
    r"^(?:going forward|moving forward|from now on|in the future|next time|in (?:the )?"
    r"(?:long|short|medium|mid)(?:er)?[- ]term|over the (?:next|coming) (?:few )?\w+),\s*",
    re.IGNORECASE,
)
# Restoring service is the response to the incident, not a measure against the next one.
RECOVERY_RE = re.compile(
    r"\b(?:restored?|recovered|recovering|resolved|mitigated|rolled back|stabili[sz]ed)\b"
    r"(?:\s+\w+){0,3}\s+(?:service|access|traffic|operations?|functionality|the (?:service|site|api))\b",
    re.IGNORECASE,
)
# A later sentence that points back at the item's own work continues it, as one measure.
SAME_WORK_RE = re.compile(
    r"^(?:\w+\s+){1,2}(?:the same|this|these|that|those|it|them)\b", re.IGNORECASE
)
# An item that opens by describing a situation rather than naming work.
SITUATION_RE = re.compile(
    r"\b(?:we|there|it|this|that) (?:are|is|was|were|have|has)(?: no| not| only)?\b", re.I
)
# A third person's promise in an item's later sentence ("…; he'll set up alerts").
THIRD_PERSON_PROMISE_RE = re.compile(r"^(?:he|she|they)\s*(?:'ll|’ll|\s+will)\s+", re.I)
# Reported work whose object is only a pronoun: "published them on Sunday", "fixed it".
PRONOUN_WORK_RE = re.compile(r"^\w+\s+(?:it|them)\b(?:\s+\S+){0,3}\W*$", re.IGNORECASE)
# A promise to the reader, not a measure: "(we'll) update you …", "credit your account".
ABOUT_READER_RE = re.compile(
    r"^\w+(?:\s+\w+)?\s+(?:you|your)\b|^\w+\s+(?:it|this|that)\s+done\b", re.I
)

# "… use bigger machines and stress test the game": a second instruction joined by "and";
# "… reverted X and added Y", "…, and we will introduce Y": a second report or promise.
AND_ACTION_RE = re.compile(
    r",?\s+and\s+(?=(?:stress[- ]test|load[- ]test|use|try to|prepare|switch|"
    + ACTION_VERBS
    + r")\s+(?!it\b|them\b|this\b|that\b|these\b|those\b)\w+\s)"
    r"|,?\s+and\s+(?=(?:we|I)(?:'ll|’ll|\s+will|\s+are|'re|’re|\s+have|'ve|’ve)?\s+(?:also\s+)?"
    r"(?:be\s+)?[a-z]+\s)"
    r"|,?\s+and\s+(?=[A-Z][a-z]+\s+(?:is|will|has)\s+(?:also\s+)?[a-z]+\s)"
)
# "We have reverted X and added Y": in a report of work done, a second verb in the past tense.
AND_DONE_RE = re.compile(r",?\s+and\s+(?=(?:" + ACTION_VERBS + r")(?:e?d|ped|ted|ged)\s)")


def _done_clauses(text: str, *, done: bool) -> list[str]:
    if not done or " and " not in text:
        return [text]
    parts = [p.strip() for p in AND_DONE_RE.split(text) if p.strip()]
    return parts if all(len(p.split()) >= 3 for p in parts) else [text]


def _english_clauses(text: str) -> list[str]:
    """Two instructions joined by 'and' are two measures; anything else is split like Chinese."""
    if text.isascii() and " and " in text:
        parts = [p.strip() for p in AND_ACTION_RE.split(text) if p.strip()]
        if len(parts) > 1 and all(len(p.split()) >= 3 for p in parts):
            return [p[:1].upper() + p[1:] for p in parts]
    return _chinese_clauses(text)


def _chinese_clauses(text: str) -> list[str]:
    """'加强访问控制，实施最小权限原则，并强制使用…' -> one action per verb-led clause.

    A clause that does not start with an action verb ('杜绝…的风险') stays with the one before.
    Text that is not Chinese, or has one such clause, is returned whole.
    """
    if "，" not in text and "、" not in text and "；" not in text:
        return [text]
    parts: list[str] = []
    for clause in re.split(r"[，；]", text):
        clause = clause.strip()
        if not clause:
            continue
        if CHINESE_ACTION_RE.match(clause) or not parts:
            parts.append(CHINESE_JOIN_RE.sub("", clause))
        else:
            parts[-1] = f"{parts[-1]}，{clause}"
    return parts if len(parts) > 1 else [text]


def _closing_sections(sections: list[Section]) -> set[int]:
    """The last section with prose: where authors close with what they will do next."""
    for index in range(len(sections) - 1, -1, -1):
        if any(line.strip() for line in sections[index].lines):
            return {index}
    return set()


DATE_TITLE_REST_RE = re.compile(
    r"[\W\d_]*(?:uhr|utc|gmt|[ap]\.?m\.?|update|\w{1,4})?[\W\d_]*", re.I
)


def _dated_updates(sections: list[Section], ctx: DateContext) -> dict[date, int]:
    """The sections of an update log (status pages: one heading per dated update), by date.

    The newest update's closing words ("a post-mortem will be written") are what the team
    will still do, like the closing paragraph of a write-up; older updates are history.
    """
    dated: dict[date, int] = {}
    for index, section in enumerate(sections):
        title = strip_markup(section.title)
        if not title or not 0 < section.level < LEVEL_BOLD or not any(c.isdigit() for c in title):
            continue
        found = find_dates(title, ctx)
        if not found:
            continue
        rest = title[: found[0].start] + title[found[0].end :]
        if DATE_TITLE_REST_RE.fullmatch(rest):
            dated.setdefault(found[0].value, index)
    return dated if len(dated) >= 2 else {}


def _latest(dated: dict[date, int]) -> set[int]:
    return {dated[max(dated)]} if dated else set()


def _imperative_lessons(sections: list[Section], ctx: DateContext) -> list[ParsedMeasure]:
    """A lessons list written as instructions ("Do not …", "Try to …", "… must …").

    Only when the document has no action section: then the lessons are its follow-ups.
    """
    measures: list[ParsedMeasure] = []
    for section in sections:
        title = strip_markup(section.title)
        if not LESSONS_RE.search(title):
            continue
        for block in section_blocks(section.lines):
            if block.kind != "list":
                continue
            texts = [strip_markup(item.text.split("\n", 1)[0]) for item in block.items]
            imperative = [t for t in texts if IMPERATIVE_RE.search(t)]
            if len(imperative) * 2 <= len(texts):
                continue
            context = Context(
                section=title,
                reason=f"instruction under '{title}'",
                confidence=CONFIDENCE_LESSON,
            )
            # A lesson among them that does not instruct ("The migration went well") is
            # offered for review rather than imported.
            aside = replace(
                context,
                confidence=CONFIDENCE_PROSE_WEAK,
                reason=f"lesson under '{title}' that does not instruct",
            )
            for item, text in zip(block.items, texts, strict=True):
                chosen = context if instructs(text) else aside
                measures.append(_measure(item.text, chosen, ctx))
    return [m for m in measures if m.title]


def _table_measures(block: Block, context: Context, ctx: DateContext) -> list[ParsedMeasure]:
    header = [strip_markup(cell).lower() for cell in block.rows[0]]
    if _is_timeline_header(header):
        return []
    roles = _column_roles(header)
    title_index = roles["title"]
    column = strip_markup(_cell(block.rows[0], title_index)) or "first"
    where = f" under '{context.section}'" if context.section else ""
    context = replace(context, reason=f"table column '{column}'{where}")
    body: list[tuple[list[str], bool]] = []
    for row in block.rows[1:]:
        has_title = bool(strip_markup(_cell(row, title_index)))
        if has_title or any(strip_markup(c) for c in row):
            body.append((row, has_title))
    kind_col = roles.get("kind")
    if kind_col is not None:
        values = [r[kind_col] for r, _ in body if kind_col < len(r) and r[kind_col].strip()]
        if not values or sum(kind_from_label(v) is not None for v in values) * 2 < len(values):
            kind_col = None
    measures: list[ParsedMeasure] = []
    for row, has_title in body:
        if has_title:
            measures.append(_row_measure(row, roles, kind_col, context, ctx))
    return measures


# A first column of times ("Time | Event") makes a timeline, even under an action label.
TIME_COLUMN_RE = re.compile(
    r"^(?:time(?:stamp)?|date|when|date/time|hora|heure|zeit|uhrzeit|ora|tijd|время"
    r"|時刻|時間|日時|时间|時間|시간|시각|thời gian)(?:\s*\(.*\))?$"
)


def _is_timeline_header(header: list[str]) -> bool:
    if not header or not TIME_COLUMN_RE.match(header[0].strip()):
        return False
    return not any(TITLE_COLUMN_RE.search(cell) for cell in header[1:])


def _column_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    title_col = next((i for i, h in enumerate(header) if TITLE_COLUMN_RE.search(h)), 0)
    roles["title"] = title_col
    for role, pattern in COLUMN_ROLE_RES.items():
        for i, cell in enumerate(header):
            if i != title_col and i not in roles.values() and pattern.search(cell):
                roles[role] = i
                break
    return roles


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _row_measure(
    row: list[str],
    roles: dict[str, int],
    kind_col: int | None,
    context: Context,
    ctx: DateContext,
) -> ParsedMeasure:
    title_text = _cell(row, roles["title"])
    others = " ".join(c for i, c in enumerate(row) if i != roles["title"])
    label = kind_from_label(_cell(row, kind_col)) if kind_col is not None else None
    facts = read_item(title_text, ctx)
    owner = _owner_cell(_cell(row, roles.get("owner")))
    priority_cell = _cell(row, roles.get("priority"))
    priority = (
        priority_in(f"priority {priority_cell}") or priority_word(priority_cell)
        if priority_cell
        else None
    )
    due_cell = _cell(row, roles.get("due"))
    due = _due_cell(due_cell, ctx) if due_cell else None
    refs = refs_in(_cell(row, roles.get("ref"))) or facts.refs or refs_in(others)
    status_cell = _cell(row, roles.get("status"))
    status = _status_word(status_cell) or _status_cell(status_cell or others)
    return _measure_from(
        facts,
        context,
        label=label,
        owner=owner or facts.owner,
        priority=priority or facts.priority,
        due=due or facts.due or context.due,
        ref=refs[0] if refs else context.ref,
        status=status or facts.status or context.status,
    )


def _due_cell(text: str, ctx: DateContext) -> date | None:
    """'6 Jan 2027' is that day (not the end of 'Jan 2027'); 'Q2 2027' is the quarter's end."""
    whole = [d for d in find_dates(text, ctx) if d.has_year]
    if len(whole) == 1 and whole[0].start <= 1 and len(text) - whole[0].end <= 2:
        return whole[0].value
    return period_end(text, ctx) or month_period_end(strip_markup(text), ctx)


def _owner_cell(text: str) -> str | None:
    """A name, handle, e-mail or team; prose such as 'Added along with the fix' is not."""
    plain = strip_markup(text).strip()
    if not plain or plain.lower() in {"n/a", "na", "-", "tbd", "none", "?"}:
        return None
    if len(plain.split()) > 4 or plain.endswith("."):
        return None
    return plain


# A status column's words in the other languages ("Fatto", "In corso", "En cours", "进行中").
STATUS_IN_PROGRESS_WORDS = re.compile(
    r"^\W*(?:in corso|en cours|em andamento|en progreso|en curso|in arbeit|in bearbeitung|laufend"
    r"|in uitvoering|bezig|w toku|w trakcie|в работе|в процессе|у роботі|в роботі|进行中|進行中"
    r"|対応中|진행\s*중|đang (?:thực hiện|làm|xử lý)|on progress|devam ediyor|sedang)\b",
    re.IGNORECASE,
)
STATUS_DONE_WORDS = re.compile(rf"^\W*(?:{DONE_WORDS})\b", re.IGNORECASE)


def _status_word(text: str) -> str | None:
    plain = strip_markup(text)
    if not plain or plain.isascii() and CELL_HINT_RE.search(plain.lower()):
        return None  # the English words: `_status_cell`
    if STATUS_IN_PROGRESS_WORDS.match(plain):
        return "in_progress"
    return "done" if STATUS_DONE_WORDS.match(plain) else None


def _status_cell(text: str) -> str | None:
    low = text.lower()
    if CELL_HINT_RE.search(low) is None:
        return None
    if CELL_DONE_RE.search(low):
        return "done"
    if CELL_IN_PROGRESS_RE.search(low):
        return "in_progress"
    if CELL_OPEN_RE.search(low):
        return "open"
    return None


def _dedupe(measures: list[ParsedMeasure]) -> list[ParsedMeasure]:
    seen: set[str] = set()
    out: list[ParsedMeasure] = []
    for measure in measures:
        key = NON_WORD_RE.sub(" ", measure.title.lower()).strip()
        if key and key not in seen:
            seen.add(key)
            out.append(measure)
    return out
