"""What a sentence or an item asks for: promises, obligations, plans and instructions.

The importer reads prose and list items sentence by sentence; these vocabularies (English
first, then the other languages) and the checks on one sentence are kept apart from the rules
that walk sections and blocks (measures.py), so each can be read and tested alone.
"""

from __future__ import annotations

import re

from tracker.postmortem.inline import first_sentence, strip_markup
from tracker.postmortem.labels import ACTION_VERB_RE

PROSE_CUE_RE = re.compile(
    r"\b(?:plans?|plan(?:ning)?|intends?|is going|are going|aims?) to\b"
    r"|\b(?:we|I)\s*(?:'ll|’ll|\swill)\b"
    r"|\b(?:is|are)\s+(?:actively\s+|currently\s+|also\s+|now\s+)*(?:working on|being)\b"
    r"|\bunder\s?way\b|\bchanges?\s+(?:are\s+)?coming\b",
    re.IGNORECASE,
)


# A stronger promise: the author commits to future work.
class _Cue:
    """English words searched alone in ASCII text; with the other languages' words otherwise.

    The long multilingual alternation costs several times the English one, and most text
    is ASCII.
    """

    def __init__(self, english: str, other: str) -> None:
        self.english = re.compile(english, re.IGNORECASE)
        self.every = re.compile(f"{english}|{other}", re.IGNORECASE)

    def search(self, text: str) -> re.Match[str] | None:
        return (self.english if text.isascii() else self.every).search(text)


# German commitments in the passive ("es wird ein Bericht erstellt", "… wird … eingeführt"):
# "wird"/"werden" followed, within the clause, by the participle of a measure verb.
GERMAN_PARTICIPLES = (
    r"erstellt|eingef(?:ü|ue|u)hrt|umgesetzt|verbessert|erg(?:ä|ae|a)nzt|(?:ü|ue|u)berpr(?:ü|ue|u)ft"
    r"|gepr(?:ü|ue|u)ft|angepasst|erweitert|dokumentiert|eingerichtet|implementiert"
    r"|(?:ü|ue|u)berarbeitet|optimiert|automatisiert|ersetzt|aktualisiert|ausgebaut|geschult"
    r"|(?:ü|ue|u)berwacht|eingebaut|nachgeholt|erarbeitet|entwickelt|getestet|migriert"
)

GERMAN_PASSIVE = rf"\b(?:wird|werden)\b[^.;!?]{{0,120}}?\b(?:{GERMAN_PARTICIPLES})\b"

STRONG_PROMISE_RE = _Cue(
    rf"{GERMAN_PASSIVE}|"
    r"\b(?:we|I)\s*(?:'ll|\swill|\sshall)\b(?!\s+not)|\bnext time\b"
    r"|\b(?:ongoing|continuing) effort to\b"
    r"|\bwe (?:also |still )?(?:need|have|plan|intend|are going|want) to\b|\bplans? to\b"
    r"|\bwe(?:'re|’re| are) (?:also |now )?going to\b"
    r"|\bgoing forward\b|\bwir werden\b|\bwerden wir\b|\bvamos a\b|\bplaneamos\b|\bvamos\b"
    r"|\biremos\b|\bplanejamos\b|\bnous allons\b|\bfaremo\b|\bwe gaan\b",
    r"\b(?:we|I)\s*’ll\b|我们将|我们会|我們將|未来|今后|下一步|今後|予定|검토|예정|할 것"
    r"|后续(?:将|会|我们)|之后(?:会|将)|以后(?:会|将)|接下来|我们(?:计划|打算)|将会"
    r"|\bin den n[äa]chsten\b|\bk[üu]nftig|\bzuk[üu]nftig|\bfr[üu]hestens\b"
    r"|\bnous pr[ée]voyons\b|\bмы будем\b|\bпланируем\b|\bchúng (?:tôi|ta) sẽ\b"
    r"|\bin den nachsten\b|\bkunftig|\bzukunftig|\bfruhestens\b|\bnous prevoyons\b",
)

# Every cue of STRONG_PROMISE_RE and PROSE_CUE_RE contains one of these (lower-cased).
PROMISE_WORDS = (
    "conclusion", "lesson", "takeaway", "will", "'ll", "’ll", "shall", "next time", "need to", "have to", "plan", "intend", "going",
    "want to", "aim", "working on", "under", "being", "coming", "effort", "middle", "我们", "我們", "未来", "今后",
    "下一步", "今後", "予定", "검토", "예정", "할 것", "wir werden", "werden wir", "nächsten",
    "nachsten", "künftig", "kunftig", "früh", "fruh", "vamos", "planea", "iremos", "planeja",
    "allons", "prévoy", "prevoy", "faremo", "gaan", "будем", "планир", "sẽ", "wird", "werden",
    "zukunft", "后续", "之后", "以后", "接下来", "计划", "打算", "将会",
)  # fmt: skip

# A promise that marks itself as a follow-up wherever it stands ("next time we will"), or a
# stated conclusion that instructs ("The conclusion is simple: prepare … earlier").
FOLLOWUP_CUE_RE = _Cue(
    r"\b(?:the |our |main )*(?:conclusion|lesson|takeaway)s? (?:learned |here )?(?:is|are)\b"
    r"[^:]{0,20}:|\bnext time\b|\bgoing forward\b|\bmoving forward\b|\bfrom now on\b"
    r"|\bplans to\b|\b(?:we|I|they) plan to\b|\bplanning to\b|\bin den nachsten\b"
    r"|\bkunftig|\bzukunftig|\ben el futuro\b|\bno futuro\b|\bin futuro\b|\ba l'avenir\b"
    r"|\bin zukunft\b|\bin der nachfolgenden zeit\b",
    r"未来|今后|下一步|今後|\bin den n[äa]chsten\b|\bk[üu]nftig|\bzuk[üu]nftig"
    r"|\bin der nachfolgenden zeit\b"
    r"|\bà l[’']avenir\b|\bв будущем\b",
)

CONCLUSION_LEAD_RE = re.compile(
    r"^.*?\b(?:conclusion|lesson|takeaway)s? (?:learned |here )?(?:is|are)\b[^:]{0,20}:\s*",
    re.IGNORECASE,
)

CJK_LEAD_RE = re.compile(
    r"^.*?(?:(?:未来|今后|下一步|后续|之后|以后|接下来)[，,]?\s*(?:我们)?(?:将会|还将|还会|将|会)?"
    r"|(?:我们|我們)(?:将会|将|会|將|會|计划|打算))(?:考虑|尽快|逐步)?\s*"
)

IMPERATIVE_RE = re.compile(
    r"^(?:do not|don't|never|always|try to|make sure|ensure|avoid|use|add|plan|review|keep"
    r"|book|run|test|check|set up|create|document|monitor|probably do not)\b|\bmust\b",
    re.IGNORECASE,
)

# Instructions in Japanese (a plain verb ending, not a passive "される"), Chinese and Korean;
# the English instruction verbs are labels.ACTION_VERB_RE.
CJK_ACTION_RE = re.compile(
    r"(?<!さ)(?:する|します|を行う|を実施|を整備)$|^(?:增加|加强|实施|建立|完善|优化|引入|添加|修复|制定)"
    r"|(?:추가|도입|적용|개선|구축)(?:하기|한다)?$"
)

PROSE_LEAD_RE = re.compile(
    r"^.*?\b(?:(?:ongoing|continuing) effort to|plans?(?:ning)? to|intends? to|(?:we|I)\s*(?:'ll|’ll|\swill)(?:\s+also)?"
    r"|(?:is|are)\s+(?:actively\s+|currently\s+|also\s+|now\s+)*working on)\s+",
    re.IGNORECASE,
)

# "Should", "must", "needs to": an obligation stated about the system is a measure too, but
# not an expectation ("this should remove …") or a condition ("Once that is done, …").
OBLIGATION_RE = re.compile(
    r"^(?!(?:once|when|if|after|until|unless|as soon as)\b)"
    r".*(?<!\bthis )(?<!\bthat )(?<!\bit )(?<!\bwhich )"
    r"\b(?:should|must|needs? to|has to|have to|ought to)\b",
    re.I,
)

# Words that open a sentence without changing what it asks for ("Finally, …", "We will also …").
SENTENCE_LEAD_RE = re.compile(
    r"^(?:(?:finally|also|additionally|in addition|then|next|first(?:ly)?|second(?:ly)?|ideally"
    r"|third(?:ly)?|lastly|moreover|furthermore)\s*,?\s+)?"
    r"(?:we(?:'re|’re)\s+(?:also\s+)?going\s+to"
    r"|(?:we|I)\s+(?:(?:are|am)\s+(?:also\s+)?going\s+to|will|shall|(?:also\s+)?(?:need|have|plan|want"
    r"|intend)\s+to|(?:(?:have|'ve)\s+)?(?:also\s+)?(?:decided|agreed|chosen)\s+to)"
    r"|(?:we|I)(?:'ve|’ve)\s+(?:also\s+)?(?:decided|agreed|chosen)\s+to"
    r"|(?:another|one|the|our)\s+(?:other\s+)?(?:idea|plan|goal|proposal|option|improvement"
    r"|change|step)\s+(?:is|will\s+be)\s+to|(?:we|I)(?:'ll|’ll)"
    r"|it\s+(?:would|will)\s+(?:also\s+)?be\s+(?:good|nice|better|wise|useful|helpful|worth)\s+to"
    r"|(?:ideally,?\s+)?(?:we|I)\s+(?:could|can|might|may|would)(?!\s+have))?(?:\s+also)?\s*",
    re.IGNORECASE,
)

# Inside an action section, more ways of saying what will be done: a decision, a plan, an
# idea, work being started ("We have decided to …", "Another idea is to …", "We're adding …").
PLANNED_RE = re.compile(
    r"\b(?:decided|agreed|chosen|planning|intending|looking|hoping) to\b"
    r"|\b(?:idea|plan|goal|intention|proposal|option|fix|improvement|step|change) (?:is|was|will be) to\b"
    r"|\b(?:we|I)(?:'d|’d| would) like to\b|\b(?:we|I)(?:'re|’re| are| am) (?:also |now )?"
    r"(?:adding|introducing|moving|changing|building|writing|replacing|investigating|exploring"
    r"|reviewing|updating|improving|implementing|setting up|working)\b"
    # suggestions: "It would be good to …", "Ideally, we would …", "We could also …"
    r"|\bit (?:would|will) (?:also )?be (?:good|nice|better|wise|useful|helpful|worth) to\b"
    r"|\bideally\b|\b(?:we|I) (?:could|can|might|may)(?! have)\b|\bwill need\b"
    r"|\bfrom now on\b|\bgoing forward\b|\bin (?:the )?future\b",
    re.IGNORECASE,
)


# Obligations, commitments and plans in the other languages ("necesitamos añadir", "se
# encargará de", "nous devons", "wir müssen", "нужно", "需要", "예정"), and their future tenses.
OTHER_OBLIGATION_RE = re.compile(
    r"\b(?:necesitamos|debemos|deber[íi]amos|tenemos que|hay que|planeamos"
    r"|\w+(?:ar|er|ir)(?:emos|án|á)"
    r"|precisamos|devemos|dever[íi]amos|temos que|vamos|iremos|se compromete"
    # a third person's future: "a equipe de plataforma vai habilitar", "el equipo va a migrar"
    r"|(?:vai|v[ãa]o|ir[áa]|ir[ãa]o|va a|van a|va|vont)\s+"
    r"(?!continu|permanec|ficar|seguir|quedar|rester|durer|durar)\w+(?:ar|er|ir|re)"
    r"|nous devons|il faut|nous allons|nous pr[ée]voyons|nous \w+rons|devrions"
    r"|wir m[üu]ssen|wir sollten|wir werden|m[üu]ssen|sollten"
    r"|dobbiamo|dovremmo|\w+(?:eremo|iremo)|abbiamo intenzione"
    r"|we moeten|we gaan|we zullen|moeten"
    r"|нужно|необходимо|надо|должны|будем|планируем|сделаем"
    r"|c[ầa]n ph[ảa]i|c[ầa]n|ph[ảa]i|s[ẽe]|d[ựu] ki[ếe]n)\b"
    r"|予定|必要|していく|してまいります|需要|必须|应该|应当|计划|예정|필요|하겠습니다|할 것",
    re.IGNORECASE,
)


# English function words: a sentence with them is read by the English cues only.
_ENGLISH_RE = re.compile(r"\b(?:the|and|we|will|to|of|is|are)\b", re.IGNORECASE)


def is_action_sentence(text: str) -> bool:
    """A sentence that instructs, promises or obliges: what an action section's prose holds."""
    plain = strip_markup(text.split("\n", 1)[0])
    return bool(
        is_action_like(SENTENCE_LEAD_RE.sub("", plain, count=1))
        or STRONG_PROMISE_RE.search(plain)
        or PROSE_CUE_RE.search(plain)
        or OBLIGATION_RE.match(plain)
        or PLANNED_RE.search(plain)
        or (not plain.isascii() or not _ENGLISH_RE.search(plain))
        and OTHER_OBLIGATION_RE.search(plain) is not None
    )


def without_lead(text: str) -> str:
    """'We are going to run the query …' -> 'Run the query …'; other text unchanged."""
    m = SENTENCE_LEAD_RE.match(text)
    if m is None or not m.group(0).strip():
        return text
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:] if rest else text


# Instructions written with an infinitive: first in Polish, Russian, Ukrainian and the Romance
# languages ("Dodać alert", "Добавить алерт", "Mover los certificados", "Ajouter une alerte"),
# last in German and Dutch ("Runbook überarbeiten", "Monitoring toevoegen").
INFINITIVE_FIRST_RE = re.compile(
    r"^(?:[^\W\d_]{2,}(?:ać|eć|ić|yć|ąć|uć)\b"  # Polish
    r"|[а-яёіїєґ]{2,}(?:ать|ять|еть|ить|уть|ыть|ти)\b"  # Russian, Ukrainian
    # Spanish, Portuguese, Italian, French: the infinitive, then an article or a preposition
    r"|[^\W\d_]{3,}(?:ar|er|ir|are|ere|ire|re)\s+(?:el|la|los|las|lo|un|una|unos|unas|o|a|os|as"
    r"|um|uma|uns|umas|il|gli|le|i|l['’]|les|des|du|de|del|do|da|dos|das|dei|della|delle|en|em"
    r"|no|na|nos|nas|nel|nella|con|com|avec|per|para|por|pour|al|ao|à|au|aux|une|sur|sobre|su"
    r"|todo|todos|todas|tous|toutes|tutti|tutte|cada|chaque|ogni|nuevos?|nuevas?|novos?|novas?"
    r"|nouveaux?|nouvelles?|nuovi?|nuove?)(?=\s|['’]))",
    re.IGNORECASE,
)
INFINITIVE_LAST_RE = re.compile(r"\s[a-zäöüß][a-zäöüß-]{2,}(?:en|ern|eln)$")
# A finite verb makes it a statement ("Budget wurde freigegeben"), not an instruction.
FINITE_VERB_RE = re.compile(
    r"\b(?:ist|sind|war|waren|wurde|wurden|wird|hat|hatte|haben|is|zijn|werd|werden|heeft"
    r"|hebben|gibt|gab|liegt|lag)\b",
    re.IGNORECASE,
)


def is_action_like(text: str) -> bool:
    """A sub-item that is itself a measure: an instruction ('Add …', '…を可視化する')."""
    plain = strip_markup(text.split("\n", 1)[0]).rstrip("。. ")
    plain = TRAILING_ASIDE_RE.sub("", plain)  # "…を追加する（担当：佐藤）【対応済み】"
    if ACTION_VERB_RE.match(plain) or CJK_ACTION_RE.search(plain):
        return True
    if not plain[:1].isupper() or plain.isascii() and _ENGLISH_RE.search(plain):
        return False  # English: only the verbs above; a lower-case sub-step only explains
    if INFINITIVE_FIRST_RE.match(plain):
        return True
    return bool(INFINITIVE_LAST_RE.search(plain)) and FINITE_VERB_RE.search(plain) is None


# Owner, due and status asides that close an item: （…）, (…), 【…】.
TRAILING_ASIDE_RE = re.compile(r"(?:\s*(?:（[^（）]*）|\([^()]*\)|【[^【】]*】))+\s*$")


def instructs(text: str) -> bool:
    """'Keep a second provider', also after a leading clause ('Before migration, plan …')."""
    head, comma, rest = text.partition(", ")
    candidates = [text, rest] if comma and len(head) <= 40 else [text]
    return any(IMPERATIVE_RE.search(t) or is_action_like(t) for t in candidates)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, split at 。！？ and then at Latin sentence ends."""
    out: list[str] = []
    for part in re.split(r"(?<=[。！？])", text):
        out += _latin_sentences(part.strip())
    return [s for s in out if s]


def _latin_sentences(text: str) -> list[str]:
    out: list[str] = []
    rest = text
    while rest:
        sentence = first_sentence(rest)
        out.append(sentence)
        rest = rest[len(sentence) :].strip()
        if not sentence:
            break
    return out


# A sentence that says its work is meant to stop a recurrence ("To prevent this from happening
# again, we've added …"), or that reports work done since the incident ("We have since moved
# …", "We've already fixed …"): what follows it in the paragraph is what the team changed.
PREVENTION_CUE_RE = _Cue(
    r"\bto (?:prevent|avoid|stop|reduce the (?:chance|risk|likelihood) of)\b[^.;]{0,60}?"
    r"(?:\bagain\b|\brecurr|\brepeat|\bin the future\b|\bsimilar\b|\bfrom happening\b)"
    r"|\bto keep (?:this|it|that|something like this|incidents like this) from (?:happening|recurring)\b"
    r"|\bmake sure (?:that )?(?:this|it) (?:never|does not|doesn't|won't) happen\b"
    r"|\b(?:so|to make sure|to ensure) (?:that )?(?:this|it|the same thing) (?:does not|doesn't"
    r"|cannot|can't|won't|will not|never) happen again\b"
    r"|\b(?:we|I)\s*(?:have|'ve)\s+(?:since|already)\b",
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
    r"^(?:[^,;]{0,60},\s+|(?:[Oo]n|[Ii]n|[Aa]t|[Oo]ver|[Dd]uring|[Aa]fter|[Ss]ince|[Ee]arlier"
    r"|[Ll]ater|[Tt]his|[Ll]ast|[Bb]y|[Ww]ithin)\b[^,;]{0,50}?\s+(?=(?:[Ww]e|I|[Ss]?he|[Tt]hey|[A-Z]\w+)[\s'’]))?"
)
WORK_REPORT_RE = re.compile(
    _WORK_LEAD + r"(?:(?:[Ww]e|I|[Ss]he|[Hh]e|[Tt]hey|[Tt]he team|[A-Z][a-z]+"
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
    if sentence.isascii() and _ENGLISH_RE.search(sentence) or not OTHER_WORK_RE.search(sentence):
        return None
    head, comma, rest = sentence.partition(", ")
    text = rest if comma and PREVENTION_CUE_RE.every.search(head) else sentence
    return text[:1].upper() + text[1:]


_LEAD_ONLY_RE = re.compile(_WORK_LEAD)


def work_owner(sentence: str) -> str | None:
    """Who a report of work names as doing it ('On Monday Priya turned on …' -> 'Priya')."""
    lead = _LEAD_ONLY_RE.match(sentence)
    return subject_owner(sentence[lead.end() if lead else 0 :])[0]
