"""Work reported in prose: "We've added X", "Priya turned on Y", "the team is adding Z".

Many teams tell their follow-ups as news rather than as a list: what has been done since the
incident and what is under way. These rules read one such sentence: whether it reports a
measure, the instruction it amounts to ("Add X"), who does it, and the sentences that open a
paragraph of such reports ("To prevent this from happening again, …"). Which paragraphs are
read this way is decided in measures.py.
"""

from __future__ import annotations

import re

from tracker.postmortem.cues import ENGLISH_RE, Cue
from tracker.postmortem.labels import ACTION_VERB_RE

# A sentence that says its work is meant to stop a recurrence ("To prevent this from happening
# again, we've added …"), or that reports work done since the incident ("We have since moved
# …", "We've already fixed …"): what follows it in the paragraph is what the team changed.
PREVENTION_CUE_RE = Cue(
    r"\bto (?:prevent|avoid|stop|reduce the (?:chance|risk|likelihood) of)\b[^.;]{0,60}?"
    r"(?:\bagain\b|\brecurr|\brepeat|\bin the future\b|\bsimilar\b|\bfrom happening\b)"
    r"|\bto keep (?:this|it|that|something like this|incidents like this) from (?:happening|recurring)\b"
    r"|\bmake sure (?:that )?(?:this|it) (?:never|does not|doesn't|won't) happen\b"
    r"|\b(?:so|to make sure|to ensure) (?:that )?(?:this|it|the same thing) (?:does not|doesn't"
    r"|cannot|can't|won't|will not|never) happen again\b"
    r"|\b(?:we|I)\s*(?:have|'ve)\s+(?:since|already)\b"
    r"|\b(?:we|I)\s+already\s+(?:[a-z]+ed|made|built|wrote|put|set|took|cut|sent)\b",
    r"\b(?:we|I)\s*’ve\s+(?:since|already)\b"
    r"|\bpara (?:evitar|prevenir|que no (?:se )?(?:repita|vuelva))|\bpour (?:[ée]viter|emp[êe]cher)"
    r"|\bzu (?:vermeiden|verhindern)\b|\bper evitare\b|\bom (?:te voorkomen|herhaling)"
    r"|\baby (?:zapobiec|unikn)|\bчтобы (?:избежать|не допустить|предотвратить)"
    r"|\bщоб (?:уникнути|запобігти|не допустити)|để (?:tránh|ngăn)|为了?(?:避免|防止)|再発を防"
    r"|재발을? 방지",
)
# Every PREVENTION_CUE_RE cue contains one of these (lower-cased).
PREVENTION_WORDS = (
    "prevent", "avoid", "stop", "reduce", "happen", "recurring", "since", "already", "evitar", "preveni",
    "que no", "viter", "empêch", "empech", "vermeiden", "verhindern", "evitare", "voorkomen",
    "herhaling", "zapobiec", "unikn", "чтобы", "щоб", "để", "避免", "防止", "再発", "재발",
)  # fmt: skip

# English instruction verbs one word long, to tell "we've added" from "we've seen".
_ACTION_VERB_WORDS = frozenset(
    w
    for w in re.sub(r"\[[^\]]*\]", "", ACTION_VERB_RE.pattern).replace("(?:", "|").split("|")
    if w.isalpha()
) | {"turn", "put", "reclassify", "invest", "look", "give", "treat", "revert", "cap", "fence"}
_IRREGULAR = {
    "made": "make", "built": "build", "wrote": "write", "written": "write", "put": "put",
    "set": "set", "took": "take", "taken": "take", "ran": "run", "cut": "cut", "split": "split",
    "gave": "give", "given": "give", "began": "begin", "shut": "shut", "rebuilt": "rebuild",
    "rewrote": "rewrite", "rewritten": "rewrite", "sent": "send", "kept": "keep",
}  # fmt: skip
# A lead-in before the subject: "In addition, …", "On Monday …", "Over the next few weeks …".
_WORK_LEAD = (
    r"^(?:(?:And|Also|Plus|So)\s+)?(?:[^,;]{0,60},\s+|(?:[Oo]n|[Ii]n|[Aa]t|[Oo]ver|[Dd]uring|[Aa]fter|[Ss]ince|[Ee]arlier"
    r"|[Ll]ater|[Tt]his|[Ll]ast|[Bb]y|[Ww]ithin)\b[^,;]{0,50}?\s+(?=(?:[Ww]e|I|[Ss]?he|[Tt]hey|[A-Z]\w+)[\s'’]))?"
)
WORK_REPORT_RE = re.compile(
    _WORK_LEAD + r"(?:(?:[Ww]e|I|[Ss]he|[Hh]e|[Tt]hey|[Tt]he team"
    r"|(?!(?:It|This|That|There|These|Those|What|Which|When|Where|Why|How|If|Once|After|Before"
    r"|Everything|Nothing|Traffic|Service|Nobody)\b)[A-Z][a-z]+"
    r"|(?:[Tt]he|[Oo]ur) [\w-]+(?: [\w-]+)? team)\s+)"
    r"(?:(?P<perfect>have|has)\s+)?(?:(?:also|since|already|now|just|then|quickly)\s+)*"
    r"(?P<past>[a-z]+ed|made|built|wrote|written|put|set|took|ran|cut|split|gave|given|rebuilt"
    r"|rewrote|rewritten|sent|kept)\b(?!\s+(?:by|to be)\b)"
    r"|" + _WORK_LEAD + r"(?:[Ww]e|I|(?:[Tt]he|[Oo]ur) [\w-]+(?: [\w-]+)? team)"
    r"(?:\s+(?:are|am|is)|'re|’re|'m|’m|(?:'ll|’ll|\s+will)\s+"
    r"(?:also\s+)?be)\s+(?:(?:also|now|currently|actively|already)\s+)*(?P<ing>[a-z]+ing)\b"
    r"|" + _WORK_LEAD + r"(?:[Ww]e|I)(?:'ve|’ve)\s+(?:(?:also|since|already|now|just)\s+)*"
    r"(?P<past2>[a-z]+ed|made|built|wrote|written|put|set|took|cut|split|given|rebuilt|rewritten"
    r"|sent|kept)\b",
)


def verb_lemma(word: str) -> str | None:
    """'added' -> 'add', 'capped' -> 'cap', 'moving' -> 'move': an instruction verb's base."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    for suffix in ("ed", "ing"):
        if not low.endswith(suffix):
            continue
        stem = low[: -len(suffix)]
        candidates = [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""]
        if suffix == "ed" and stem.endswith("i"):
            candidates.append(stem[:-1] + "y")
        return next((c for c in candidates if c in _ACTION_VERB_WORDS), None)
    return None


def reported_work(sentence: str) -> str | None:
    """'On Monday Priya turned on PITR' -> 'Turn on PITR'; None unless it reports a measure."""
    m = WORK_REPORT_RE.match(sentence)
    if m is None:
        return None
    verb = m["past"] or m["ing"] or m["past2"]
    lemma = verb_lemma(verb)
    if lemma is None or re.search(r"\b(?:not|never|against)\b", sentence[: m.end() + 12]):
        return None
    rest = sentence[m.end() :].strip()
    if lemma == "turn" and not re.match(r"(?:on|off)\b", rest):
        return None  # "it turned out", "we turned to …"
    if len(rest.split()) < 2:
        return None  # "Traffic increased sharply" tells what happened
    return f"{lemma[:1].upper()}{lemma[1:]} {rest}"


# "We have already taken several steps": an announcement, not a measure of its own.
GENERIC_STEPS_RE = re.compile(
    r"\b(?:take|taken|took|make|made|making|taking|implemented)\s+(?:several|some|a few|a number of"
    r"|a series of|the following|these|many|additional|further|various)\s+(?:steps|actions"
    r"|measures|changes|improvements)\b",
    re.IGNORECASE,
)


_LEAD_VERB_RE = re.compile(
    r"^(?:(?:we|I)(?:'ll|’ll|\s+will|\s+are|'re|’re|\s+have|'ve|’ve)?\s+(?:also\s+)?)?(?:be\s+)?"
    r"(?P<verb>[A-Za-z]+(?:ed|ing))\b",
    re.IGNORECASE,
)


def as_instruction(text: str) -> str:
    """'be changing the router …' / 'we are improving X' / 'added Y' -> 'Change …', 'Improve X'."""
    m = _LEAD_VERB_RE.match(text)
    lemma = verb_lemma(m["verb"]) if m is not None else None
    if m is None or lemma is None:
        return text[:1].upper() + text[1:]
    return f"{lemma[:1].upper()}{lemma[1:]}{text[m.end() :]}"


# "Tom is adding an alert", "the identity team is adding …": who does the work.
_SUBJECT_RE = re.compile(
    r"^(?:(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)|(?:[Tt]he|[Oo]ur) (?P<team>[\w-]+(?: [\w-]+)? team))"
    r"\s+(?:(?:is|will|has|'s|’s)\s+(?:also\s+)?(?:be\s+)?|(?:also\s+)?(?=[a-z]+ed\s))"
    r"(?=(?P<verb>[a-z]+)\s)"
)
_NOT_NAMES = {
    *("the", "this", "that", "it", "there", "we", "they", "he", "she", "our", "their", "each"),
    *("everything", "nothing", "everyone", "nobody", "one", "another", "which", "what", "team"),
}


def subject_owner(text: str) -> tuple[str | None, str]:
    """'Tom is adding a disk alert' -> ('Tom', 'adding a disk alert'); else (None, text)."""
    m = _SUBJECT_RE.match(text)
    name = m["name"] or m["team"] if m is not None else None
    if m is None or not name or name.split()[0].lower() in _NOT_NAMES:
        return None, text
    verb = m["verb"]
    if verb_lemma(verb) is None and verb not in _ACTION_VERB_WORDS:
        return None, text
    return name, text[m.end() :]


# "Priya owns this", "Das übernimmt Lena Hoffmann", "o Rafael já está cuidando disso": a
# sentence that names who does the work of the sentence or item before it.
_NAME = r"(?-i:@?[A-ZÀ-ÞА-ЯЁІЇЄ][\w.-]+(?:\s+[A-ZÀ-ÞА-ЯЁІЇЄ][\w-]+)?)"
OWNER_STATEMENT_RE = re.compile(
    rf"(?:^|[;.]\s+|[—–-]\s*)(?:(?:o|a|el|la|il|le)\s+)?(?P<a>{_NAME})\s+(?:owns|will own|is on|is handling"
    r"|will handle|is taking care of|will take care of|is driving|will drive|is leading|will lead"
    r"|(?:já\s+)?est[áa] cuidando|vai cuidar|(?:ya\s+)?se (?:encarga|ocupa)|s[’']en occupe|se ne occupa"
    r"|si occupa|k[üu]mmert sich|pakt dit op|neemt dit op)\b"
    rf"|\b(?:owned|handled|driven|led) by (?P<b>{_NAME})"
    rf"|^(?:das|dies|dies(?:es|en))\s+(?:übernimmt|uebernimmt|verantwortet)\s+(?P<c>{_NAME})"
    rf"|(?:этим\s+)?(?:займётся|займется|занимается)\s+(?P<d>{_NAME})"
    # the team that is the subject of a promise: "a equipe de plataforma vai habilitar …"
    r"|(?:^|[,;]\s*|\s)(?:a|o|la|el|le|l['’])\s*(?P<e>(?:equipe|equipo|équipe|time|squadra|squad)"
    r"\s+(?:de\s+|di\s+|da\s+|do\s+)?[\w-]+)\s+(?:vai|v[ãa]o|va|van|ir[áa]|vont|far[àa]|se encarga)\b",
    re.IGNORECASE,
)


def owner_statement(text: str) -> str | None:
    """The person a sentence hands the work to, if it does ("Priya owns this")."""
    if not any(ch.isupper() for ch in text):
        return None
    m = OWNER_STATEMENT_RE.search(text)
    if m is None:
        return None
    name = m["a"] or m["b"] or m["c"] or m["d"] or m["e"]
    return None if name.split()[0].lower() in _NOT_NAMES else name


# Work done, told in the first person plural of the other languages ("hemos añadido",
# "nous avons ajouté", "haben wir … eingerichtet", "abbiamo aggiunto", "dodaliśmy", "мы добавили").
OTHER_WORK_RE = re.compile(
    r"\b(?:hemos|avons|abbiamo|hebben we|we hebben|temos|haben wir|wir haben)\b"
    r"|\b\w{3,}li[śs]my\b|\bмы\s+(?:уже\s+)?\w+ли\b|\bми\s+(?:вже\s+)?\w+ли\b"
    r"|chúng tôi đã|我们已经?|我們已經?|しました|했습니다",
    re.IGNORECASE,
)


def reported_work_other(sentence: str) -> str | None:
    """A report of work done in another language, without the purpose clause before it."""
    if sentence.isascii() and ENGLISH_RE.search(sentence) or not OTHER_WORK_RE.search(sentence):
        return None
    head, comma, rest = sentence.partition(", ")
    text = rest if comma and PREVENTION_CUE_RE.every.search(head) else sentence
    return text[:1].upper() + text[1:]


_LEAD_ONLY_RE = re.compile(_WORK_LEAD)


def work_owner(sentence: str) -> str | None:
    """Who a report of work names as doing it ('On Monday Priya turned on …' -> 'Priya')."""
    lead = _LEAD_ONLY_RE.match(sentence)
    return subject_owner(sentence[lead.end() if lead else 0 :])[0]
