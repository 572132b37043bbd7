"""Words teams use for the labels the importer looks for, in the languages it reads.

One place for the vocabularies: the headings (or bold lines, plain lines, table headers) that
introduce measures, the sub-headings that are about something else, the column names of an
action table and the cell values that mean "nothing here". English is matched as words,
with the other languages (Spanish, Portuguese, French, German, Italian, Dutch, Japanese,
Chinese, Korean, Russian, Vietnamese) beside it; a translated heading that keeps the English
in parentheses ("Các Mục Hành Động (Action Items)") matches through either.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A label that introduces measures. English first; then the other languages.
ACTION_LABEL = (
    r"action[ -]?items?|\bactions?\b(?! taken)|corrective|preventi|remediation|follow[- ]?ups?"
    r"|next steps?|what we(?:'|’| a)re (?:doing|going to do)|doing about it"
    r"|mitigation (?:measures|steps|plan)|future work|improvements?\b|\bto-?dos?\b"
    r"|going forward|\bmeasures\b|countermeasures?|recommendations?|^future$"
    r"|^(?:short|long|mid|medium)(?:er)?[- ]term\b|^in the long(?:er)? run\b"
    r"|\bchanges (?:that need|to be made|we(?:'re| are) making)"
    r"|^(?:process|planned|proposed|upcoming) changes$|what(?:'s|’s| is| comes) next|looking forward|moving forward|work items|commitments"
    r"|what we(?:'|’)?(?:ll| will) do|(?:what|steps) we(?:'|’)?(?:re| are) (?:changing|taking)"
    # "What we will change", "For next year", "Next time", "In the future"
    r"|\bwhat we(?:'|’)?(?:ll| will| are going to| plan to) (?:change|fix|improve)"
    r"|^(?:for |plans? for )?(?:the )?next (?:time|year|event|release)$|^in (?:the )?future$"
    # ... and in the other languages: "La próxima vez", "À l'avenir", "次回に向けて", "下次"
    r"|^(?:para )?(?:la |el |da |na )?pr[oó]xim[ao] (?:vez|año|ano|edici[oó]n)$|^en el futuro$"
    r"|^no futuro$|^(?:pour )?la prochaine fois$|^[àa] l[’']avenir$|^in futuro$"
    r"|^次回(?:に向けて|への改善)?$|^今後$|^下次|^今后$|^以后$"
    r"|\b(?:things|steps|changes|work) (?:we|to) (?:(?:'|’)?ll |will |are going to |plan to |must )?"
    r"(?:do|change|make|take|fix)\b"
    # question headings: "How are we making incidents like this less likely?"
    r"|\bless (?:likely|impactful|frequent|probable)\b|\breduc\w* the (?:likelihood|chance|risk)"
    r"|\bkeep (?:this|it) from happening\b|\brepair items?\b|\bwhere we go from here\b"
    # "what we will do" in the other languages
    r"|\bwat (?:gaan we|we gaan) doen|\bco (?:zrobimy|robimy|zmieniamy)\b|що ми (?:зробимо|робимо)"
    r"|что мы (?:сделаем|делаем|изменим)|\bwas wir (?:tun|ändern|aendern|unternehmen)\b"
    r"|\bce que nous (?:faisons|allons faire|changeons)|\blo que (?:haremos|vamos a hacer|estamos haciendo)"
    r"|\bo que (?:vamos fazer|faremos|estamos fazendo)|\bcosa (?:faremo|stiamo facendo)"
    r"|後續改善|后续改进|后续优化|개선\s*계획|향후\s*계획|k[ếe] ho[ạa]ch kh[ắa]c ph[ụu]c"
    r"|^how (?:will|do|can|should) we (?:prevent|avoid|stop)\b|do (?:things )?differently|(?:not|never|won'?t|doesn'?t) happen again"
    r"|\b(?:prevent|avoid|stop)\w* (?:this|it|that|similar|such|a repeat|recurrence)\b.*"
    r"\b(?:future|again|recurr|repeat)"
    r"|^(?:planned |upcoming |permanent |long[- ]term |short[- ]term )?fix(?:es)?$"
    # Spanish / Portuguese
    r"|\bacci[oó]n(?:es)?\b|\ba[cç][aã]o\b|\ba[cç][oõ]es\b|\bmedidas\b|pr[oó]ximos pasos"
    r"|pr[oó]ximos passos|seguimiento|acompanhamento|\bmejoras\b|\bmelhorias\b|\btareas\b"
    r"|\btarefas\b|correctiv|corretiv|preventiv"
    # "¿Cómo evitamos que se repita?", "Como evitar que se repita", "Comment éviter que …"
    r"|\b(?:evit|previn|prevein|impedi)\w* (?:que )?(?:(?:se|esto|isso|isto|eso|lo|o) )?"
    r"(?:repit|repet|vuelv|volt|ocurr|aconte[cç])"
    r"|\bpara que no (?:se )?(?:repit|vuelv)"
    # French
    r"|éléments? d[’']action|plan d[’']action|\bmesures\b|prochaines [ée]tapes|\bsuivi\b"
    r"|\bcorrectifs?\b|\bam[ée]liorations\b"
    # German
    r"|ma(?:ß|ss)nahmen|aktionspunkte|n[äa]chste schritte|\baufgaben\b|verbesserungen"
    r"|folgeaufgaben|\bausblick\b|weiteres vorgehen|\bvorbeugung\b|\babhilfe"
    r"|^(?:f[üu]r )?(?:das )?n[äa]chste(?:s)? mal$|^(?:in )?zukunft$|^k[üu]nftig$"
    # Italian
    r"|\bazioni\b|prossimi passi|\bmisure\b|\bmiglioramenti\b|\battivit[àa] di follow"
    # Dutch
    r"|\bacties\b|actiepunten|maatregelen|vervolgstappen|verbeterpunten"
    # Polish
    r"|dzia[łl]ania|\bdzia[łl]anie\b|naprawcze|zapobiegawcze|\bkroki\b|\bzadania\b|usprawnienia"
    r"|\bdalsze kroki|\bnast[ęe]pne kroki|\bśrodki zaradcze|\bsrodki zaradcze"
    # Ukrainian
    r"|\bзаходи\b|\bдії\b|подальші кроки|наступні кроки|\bзавдання\b|покращення|запобіжн"
    # Turkish, Indonesian, Malay
    r"|aksiyon|eylem(?:ler)?|yap[ıi]lacaklar|iyile[şs]tirme|[öo]nleyici|d[üu]zeltici"
    r"|tindak lanjut|tindakan|langkah selanjutnya|perbaikan|pencegahan|rencana aksi"
    # Japanese
    r"|再発防止|対策|今後の対応|今後の取り組み|アクションアイテム|改善策|改善点"
    # Chinese
    r"|改进措施|改进计划|后续行动|后续计划|后续工作|行动项|待办|展望|整改|预防措施|防范措施"
    r"|改進措施|後續行動|行動項"
    # Korean
    r"|액션|재발\s*방지|후속\s*조치|조치\s*사항|조치\s*항목|개선\s*사항|개선\s*과제|개선\s*조치|대책|할\s*일"
    # Russian
    r"|действи[яй]|\bмеры\b|мероприяти|дальнейшие шаги|следующие шаги|задачи|улучшени"
    # Vietnamese
    r"|h[àa]nh đ[ộo]ng|bi[ệe]n ph[áa]p|c[áa]c b[ưu][ớo]c ti[ếe]p theo|c[ảa]i thi[ệe]n"
)

# English instruction verbs that open a sub-item which is a measure of its own.
ACTION_VERBS = (
    r"add|fix|create|write|update|document|implement|automate|monitor|alert|enable"
    r"|disable|remove|migrate|upgrade|review|test|set up|configure|introduce|improve|ensure"
    r"|replace|rotate|audit|investigate|deploy|build|move|make|limit|increase|reduce"
    r"|use|run|cut|page|fence|rehearse|practi[cs]e|train|schedule|verify|validate|track"
    r"|notify|publish|restrict|require|block|allow|isolate|encrypt|patch|pin|harden|expand"
    r"|extend|raise|lower|adjust|change|define|establish|assign|backport|roll out|instrument"
    r"|log|measure|benchmark|simulate|separate|split|switch|tune|cap|drop|retire|deprecate"
    r"|evaluate|consider|explore|revisit|share|standardi[sz]e|clean up|rename|refactor"
    r"|reproduce|lock|check|send|provide|prepare|plan|start|stop|keep|avoid|prevent|detect"
    r"|capture|collect|expose|surface|escalate|communicate|announce|inform|teach|hire|buy"
    r"|order|purchase|install|delete|prune|purge|trim|pause|archive|restore|backup|back up|snapshot|rebuild"
    r"|recreate|reconfigure|redesign|rewrite|revert|roll back|support|handle|catch|retry"
    r"|throttle|rate[- ]limit|shard|scale|cache|partition|index|enforce|mandate|forbid|ban"
    r"|disallow|gate|guard|protect|secure|sign|scan|lint|fuzz|load[- ]test|stress[- ]test"
)
ACTION_VERB_RE = re.compile(rf"^(?:{ACTION_VERBS})\b", re.IGNORECASE)

# A label that may contain an action word but is about something else.
DISTRACTOR_LABEL = (
    r"went (?:well|wrong|badly)|got lucky|\blucky\b|takeaways?|lessons?|timeline|chronolog"
    r"|contributing|root cause|\bcauses?\b|\bimpact\b|summary|background|leadup|lead-up"
    r"|\btrigger|\blogs?\b|appendix|glossary|references|what happened|\brecovery\b"
    r"|\bresolution\b|\bdetection\b|\bdescription\b|consequences|how could|could we"
    r"|\bremedied\b|\bactions? taken\b"
    # other languages: lessons, timeline, causes, impact, summary, response taken
    r"|lecciones|li[cç][õo]es|le[cç]ons|lektionen|erkenntnisse|lezioni|lessen"
    r"|cronolog|chronologie|zeitlinie|zeitverlauf|tijdlijn|хронолог"
    r"|causa|ursache|oorzaak|причин|resumen|resumo|r[ée]sum[ée]|zusammenfassung|riepilogo"
    r"|教训|教訓|经验|時系列|タイムライン|时间线|原因|影響|影响|課題|타임라인|교훈|원인|영향|요약"
    r"|bài học|d[òo]ng th[ờo]i gian|nguy[êe]n nh[âa]n|[ảa]nh h[ưu][ởo]ng|t[ổo]ng quan"
    r"|уроки|выводы|влияние"
    r"|wnioski|przebieg|o[śs] czasu|przyczyn|wp[łl]yw|streszczenie|podsumowanie"
    r"|висновки|хронолог|причин|вплив|підсумок|zaman [çc]izelgesi|k[öo]k neden|etki\b|[öo]zet"
    r"|kronologi|penyebab|dampak|ringkasan|pelajaran"
)

# Advice addressed to the reader ("How can customers make this less impactful?",
# "Recommendations for users"): what they can do, not what the team will do.
READER_LABEL = (
    r"\b(?:customers?|users?|clients?|you|your)\b|\bclientes\b|\busuarios\b|\butilisateurs"
    r"|\bnutzer|\bkunden|\bklant|\bklient|користувач|пользовател|お客様|客户|用户|고객|kh[áa]ch h[àa]ng"
)

# Sub-headings under an action section that hold no measures.
SUB_DISTRACTOR_LABEL = (
    r"went (?:well|wrong|badly)|got lucky|\blucky\b|takeaways?|timeline|contributing"
    r"|root cause|what happened|\bdone during\b|\bnot (?:adopt|pursu|tak)|\brejected\b"
    r"|\bproblems?\b|\bissues? (?:during|encountered)|what went"
    r"|取り上げない|採用しない|不采用|verworfen|descartad|rejet|odrzuc|відхилен|отклон"
)

# Table columns, by role. The title column is the first that names an action or a task.
TITLE_COLUMN = (
    r"action|item|description|task|measure|remediation|follow|what|title|summary|improvement"
    r"|corrective|preventive|descri[cç][aã]o|descripci[oó]n|beschreibung|descrizione|omschrijving"
    r"|описание|m[ôo] t[ảa]|説明|描述|설명"
    r"|acci[oó]n|\ba[cç][aã]o\b|\ba[cç][oõ]es\b|tarea|tarefa|medida|mesure|t[âa]che|ma(?:ß|ss)nahme"
    r"|aufgabe|azione|attivit|actie|maatregel|taak"
    r"|対策|アクション|項目|内容|措施|行动|行動|事项|事項|任务|액션|조치|항목|내용|할 일"
    r"|действи|мера|задача|h[àa]nh đ[ộo]ng|c[ôo]ng vi[ệe]c|bi[ệe]n ph[áa]p|h[ạa]ng m[ụu]c"
    r"|dzia[łl]ani|zadani|захід|дія|завдання|aksiyon|eylem|tindakan"
)
# A table whose header names actions holds measures even outside an action section.
ACTION_TABLE = (
    r"action|remediation|follow.?up|corrective|preventive"
    r"|acci[oó]n|\ba[cç][aã]o\b|\ba[cç][oõ]es\b|ma(?:ß|ss)nahme|azione|actie|maatregel"
    r"|対策|アクション|措施|行动|行動|액션|조치|действи|h[àa]nh đ[ộo]ng|bi[ệe]n ph[áa]p"
    r"|dzia[łl]ani|захід|заход|дії|aksiyon|eylem|tindakan"
)
COLUMN_ROLES: dict[str, str] = {
    "kind": r"^(?:type|kind|category|class|tipo|typ|genre|categor|種別|种类|类型|유형|тип|lo[ạa]i)",
    "owner": (
        r"owner|assignee|responsible|\bwho\b|assigned|respons[aá]vel|responsab|verantwortlich"
        r"|referente|incaricat|uitvoerder"
        r"|zust[äa]ndig|eigenaar|担当|负责|負責|담당|ответствен|исполнител|ph[ụu] tr[áa]ch"
        r"|ng[ưu][ờo]i|odpowiedzialn|w[łl]a[śs]ciciel|відповідальн|sorumlu|\bpic\b|penanggung"
    ),
    "priority": (
        r"priority|\bprio\b|severity|^p$|prioridad|prioridade|priorit[ée]|priorit[äa]t|priorit"
        r"|優先|优先|우선|приоритет|[ưu]u ti[êe]n"
    ),
    "due": (
        r"\bdue\b|deadline|target|\beta\b|\bwhen\b|\bby\b|fecha|prazo|data limite|[ée]ch[ée]ance"
        r"|f[äa]llig|\btermin|scadenza|期限|期日|截止|기한|마감|срок|\bh[ạa]n\b|термін|tarih|tenggat"
    ),
    "status": (
        r"status|state|progress|estado|situa[cç][aã]o|statut|stato|状態|状况|状态|狀態|상태"
        r"|статус|tr[ạa]ng th[áa]i|durum"
    ),
    "ref": (
        r"bug|ticket|issue|jira|link|\bref|tracking|\bpr\b|\w\s*#|chamado|incidencia|enlace"
        r"|チケット|工单|链接|티켓|이슈|задача в|тикет|li[êe]n k[ếe]t"
    ),
}

# A cell or item that says there is nothing ("None", "N/A", "-", "TBD").
NOTHING_RE = re.compile(
    r"^\W*(?:none(?: yet| identified| planned)?|n/?a|nil|nothing(?: (?:to add|planned))?|tbd|tbc"
    r"|-+|—|–|\?|ninguna?|nenhuma?|aucune?|rien|keine?|nichts|nessuna?|geen|niets|なし|無し"
    r"|特になし|无|無|暂无|없음|нет|không có|kh[ôo]ng|brak|нема[єе]?|yok|tidak ada)\W*$",
    re.IGNORECASE,
)

# English kept in parentheses by translators: "Các Mục Hành Động (Action Items)".
PAREN_ENGLISH_RE = re.compile(r"[(（]\s*([A-Za-z][A-Za-z /&'’-]{2,40})\s*[)）]")


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ACTION_LABEL_RE = _compile(ACTION_LABEL)
DISTRACTOR_LABEL_RE = _compile(DISTRACTOR_LABEL)
READER_LABEL_RE = _compile(READER_LABEL)
SUB_DISTRACTOR_LABEL_RE = _compile(SUB_DISTRACTOR_LABEL)
TITLE_COLUMN_RE = _compile(TITLE_COLUMN)
ACTION_TABLE_RE = _compile(ACTION_TABLE)
COLUMN_ROLE_RES = {role: _compile(pattern) for role, pattern in COLUMN_ROLES.items()}
# Words that make a label an action label even beside a distractor word
# ("Lessons learned / next steps", "Maßnahmen und Erkenntnisse").
STRONG_ACTION_RE = _compile(
    r"next steps|action|follow|remediat|doing about|measures|ma(?:ß|ss)nahmen|acci[oó]n|a[cç][oõ]es"
    r"|再発防止|对策|対策|措施|액션|재발|h[àa]nh đ[ộo]ng|мер|действи|dzia[łl]ania|заход"
)


def is_nothing(text: str) -> bool:
    """'None', 'N/A', '-', 'TBD' and their translations: an explicitly empty entry."""
    return bool(NOTHING_RE.match(text.strip()))


@lru_cache(maxsize=2048)
def is_action_label(title: str) -> bool:
    """Whether a heading or label names measures ('Action items', 'Maßnahmen', ...)."""
    english = PAREN_ENGLISH_RE.search(title)
    if english is not None and _action_words(english[1]):
        return True
    return _action_words(title)


def _action_words(title: str) -> bool:
    if not ACTION_LABEL_RE.search(title):
        return False
    if STRONG_ACTION_RE.search(title):
        return True
    return not DISTRACTOR_LABEL_RE.search(title) and not READER_LABEL_RE.search(title)
