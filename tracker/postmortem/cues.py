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
class Cue:
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

# English commitments in the passive or about a thing ("the runbook will be updated", "every
# service will get a health check"): only participles of measure verbs, so "service will be
# restored" (a status) is not one.
ENGLISH_PASSIVE = (
    r"\b(?:will|shall)\s+(?:also\s+)?(?:be\s+(?:added|updated|improved|introduced|reviewed"
    r"|documented|extended|automated|monitored|replaced|migrated|upgraded|tested|rewritten|written"
    r"|created|implemented|deployed|configured|changed|enabled|rolled out|set up|hardened|split"
    r"|moved|audited|rotated|reworked|revisited|evaluated|investigated|built)"
    r"|get|gain|receive)\b"
)

STRONG_PROMISE_RE = Cue(
    rf"{GERMAN_PASSIVE}|{ENGLISH_PASSIVE}|"
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
FOLLOWUP_CUE_RE = Cue(
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
ENGLISH_RE = re.compile(r"\b(?:the|and|we|will|to|of|is|are)\b", re.IGNORECASE)


def is_action_sentence(text: str) -> bool:
    """A sentence that instructs, promises or obliges: what an action section's prose holds."""
    plain = strip_markup(text.split("\n", 1)[0])
    return bool(
        is_action_like(SENTENCE_LEAD_RE.sub("", plain, count=1))
        or STRONG_PROMISE_RE.search(plain)
        or PROSE_CUE_RE.search(plain)
        or OBLIGATION_RE.match(plain)
        or PLANNED_RE.search(plain)
        or (not plain.isascii() or not ENGLISH_RE.search(plain))
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

# Work named by a noun, then what it applies to ("Continued review of the login processes",
# "fortdauernde Beobachtung und Optimierung der Prozesse", "Mise en place d'une alerte"):
# German, English and Romance nouns of action, at most one word before them.
_NOUN = r"[^\W\d_]+(?:ung|ierung|tion|ment|ción|ção|zione)"
NAMED_WORK_RE = re.compile(
    rf"^(?:[^\W\d_]+\s+)?{_NOUN}(?:\s+(?:und|and|et|y|e|en)\s+{_NOUN})?"
    r"\s+(?:der|des|von|vom|zur|zum|f(?:ü|ue)r|of|for|to|de|du|d['’]|della|del|dei|das|do|da|van)\b",
    re.IGNORECASE,
)


def is_named_work(text: str) -> bool:
    """A noun phrase naming work ('Continued monitoring and optimisation of …'), no statement."""
    plain = strip_markup(text.split("\n", 1)[0]).rstrip("。. ")
    return (
        3 <= len(plain.split()) <= 20
        and NAMED_WORK_RE.match(plain) is not None
        and FINITE_VERB_RE.search(plain) is None
        and not plain.endswith(":")
    )


def is_action_like(text: str) -> bool:
    """A sub-item that is itself a measure: an instruction ('Add …', '…を可視化する')."""
    plain = strip_markup(text.split("\n", 1)[0]).rstrip("。. ")
    plain = TRAILING_ASIDE_RE.sub("", plain)  # "…を追加する（担当：佐藤）【対応済み】"
    if ACTION_VERB_RE.match(plain) or CJK_ACTION_RE.search(plain):
        return True
    if not plain[:1].isupper() or plain.isascii() and ENGLISH_RE.search(plain):
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
