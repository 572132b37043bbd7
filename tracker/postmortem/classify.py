"""Which kind of measure an item is: corrective, preventive, detective, mitigation, process.

An explicit label (a Type column) wins. Otherwise the item's own words decide, in tiers a
reviewer can follow:

1. Deliverables that fix the kind whatever they are about: a runbook, procedure,
   documentation, training or a drill is process work ("runbook for rollbacks" is not a
   rollback); an automatic response that limits an outage (readiness probes taking pods out
   of rotation, tooling used during incidents, faster recovery) is mitigation; restoring
   backups into a scratch target is a detective restore test.
2. Specific terms (alerting, dashboards; failover, fallbacks, workarounds; fix, revert,
   restore, rebuild; tests, quotas, isolation, 2FA, and protection against overload such as
   rate limits, circuit breakers, capacity and replicas; reviews, on-call, policies). The
   earliest one in the title decides, because an item names its main deliverable first
   ("renew the certificates and alert on errors" is a renewal job).
3. Generic verbs (increase, remove, limit, verify, check, review): earliest one decides.

The title is read before the description, which counts only as weakly as a generic verb.
A sub-heading that names a kind ("Detection", "Prevention") outranks generic verbs, but
specific terms outrank a heading when they say detective (a monitoring item is detective
anywhere) or when the heading is a loose "Process improvements" list; a time-horizon
heading ("Immediate actions") only breaks ties when the words say nothing. The result is
always one of the five kinds the tracker stores.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.postmortem.model import Kind

# A label such as a Type cell or a sub-heading names the kind directly.
LABELS: tuple[tuple[str, Kind], ...] = (
    (
        r"prevent|préven|preven[cç]|verhinder|vorbeug|voorkom|предотвра|профилакт|予防|预防"
        r"|예방|phòng ngừa",
        "preventive",
    ),
    (
        r"correct|repair|\bfix|correc|corre[cç]|corret|korrekt|corrig|корректир|исправ|是正|纠正"
        r"|시정|khắc phục",
        "corrective",
    ),
    (
        r"detect|monitor|alert|observab|détect|detec[cç]|erkenn|detectie|rilev|обнаруж|検知|検出|监控"
        r"|检测|탐지|감지|phát hiện",
        "detective",
    ),
    (r"mitigat|contain|att[ée]nu|mitiga|minder|смягч|緩和|缓解|완화|giảm thiểu", "mitigation"),
    (
        r"process|procedur|document|communicat|training|people|organi[sz]ational|processus"
        r"|proceso|processo|\bproces\b|prozess|процесс|プロセス|流程|프로세스|quy trình",
        "process",
    ),
)

# A heading about the time horizon hints at a kind without naming it.
HINTS: tuple[tuple[str, Kind], ...] = (
    (r"\bimmediate|\bhot-?fix|\bquick fix|\burgent fix|\bshort[- ]term fix", "corrective"),
)

# Tier 1: the deliverable fixes the kind whatever the item is about.
DECISIVE: tuple[tuple[Kind, str], ...] = (
    (
        "process",
        r"\brunbooks?\b|\bplaybooks?\b|\bprocedures?\b|\bdocumentation\b|^document\b|\bdocs\b|\btraining\b"
        r"|\bdrills?\b|\brehears|\btabletop|\bgame ?days?\b|\bpost[- ]?mortems?\b|\bincident reviews?\b"
        r"|\bon-?call (?:rotation|schedule|handbook|training|coverage)"
        r"|\b(?:people|person|engineers?|staff|members?) (?:to (?:be |the )?|on (?:the )?)on-?call"
        r"|\b(?:notify|inform|update|tell|email) (?:our |the |all |affected )*"
        r"(?:customers|users|clients|partners|stakeholders)\b"
        r"|\bcustomer (?:communication|notification|update)s?\b",
    ),
    (
        "mitigation",
        r"\b(?:readiness|liveness) (?:probes?|checks?)|\b(?:out of|from) (?:the )?rotation"
        r"|\bauto-?heal|\bself-?heal|\bgraceful(?:ly)? degrad|\bkill.?switch"
        r"|\bduring (?:an |the )?(?:incidents?|outages?)\b|\brecover(?:y)? faster|\bfaster recovery"
        r"|\bresolve (?:issues|incidents|problems) faster|\btime to (?:recover|restore|mitigate)"
        r"|\breduce (?:the )?(?:impact|blast radius)",
    ),
    (
        # A restore into a throwaway target tests the backups; it restores nothing.
        "detective",
        r"\b(?:backup|restore) (?:tests?|drills?|verification)\b"
        r"|\brestor(?:e|es|ed|ing)\b[^.;]{0,60}?\b(?:to|into|on) (?:an? |the )?"
        r"(?:scratch|staging|sandbox|test|throwaway|temporary|spare)\b",
    ),
)

# Tier 2: specific terms; the earliest hit in the text decides.
SPECIFIC: tuple[tuple[Kind, str], ...] = (
    (
        "detective",
        r"\bmonitor|\balert|\bdashboards?\b|\bdetect|\bobservab|\bnotice\b|\bnotif(?:y|ication)"
        r"|\bpag(?:e|ed|ing)\b(?! ?size)|pagerduty|\bmetrics?\b|\bvisibility\b|\bhealth ?checks?"
        r"|\b(?:daily|hourly|nightly|weekly|periodic|regular|automated|synthetic|scheduled) checks?\b"
        r"|\bprobes?\b|\blogging\b|\btelemetry|\btracing\b|\banomal|\bslos?\b|\bslis?\b"
        r"|\berror budget|^log\b",
    ),
    (
        "process",
        r"\b(?:code|design|peer|security|change|regular|periodic|quarterly|weekly|monthly) reviews?\b"
        r"|\breview (?:process|meeting|board)|\bcommunicat|\bguidelines?\b"
        r"|\bbest practices?\b|\bcheck-?lists?\b|\binstructions?\b|\bannounce|\bstatus ?page"
        r"|\brecommend|\bdiscuss|\bescalat|\bpolic(?:y|ies)\b|\bon-?call\b|\bhandbook|\bonboard"
        r"|\bownership\b|\bretrospective|\bincident (?:commander|command|response|manager)"
        r"|\bresponsibilit|\broles?\b|\bprocess(?:es)?\b"
        r"|\bmaintenance windows?\b|\btime ?slots?\b",
    ),
    (
        "mitigation",
        r"\broll ?backs?\b|\broll(?:ing)? back\b|\bfail ?-?overs?\b|\bfeature flags?"
        r"|\bfallbacks?\b|\bplaceholder|\bdegrad|\bworkarounds?\b"
        r"|\bstop-?gap\b|\binterim\b|\btemporary (?:fix|solution|measure|workaround)",
    ),
    (
        "corrective",
        r"\bfix(?:es|ed|ing)?\b|\bpatch|\brevert|\brepair|\brestor(?:e|ed|es|ing)\b"
        r"|\brebuil(?:d|t|ds|ding)\b|\brotat(?:e|ed|es|ing)\b|\bre-?enabl|\brenew|\breissue"
        r"|\bissue a new|\bre-?introduc|\breinstat|\bbackfill|\b(?:state|data|schema) migrations?\b"
        r"|\bmigration (?:code|scripts?)\b|\bhot-?fix|\bclean ?up\b|\bcleanup\b|\bcorrupt",
    ),
    (
        "preventive",
        r"\btests?\b|\btesting\b|\btested\b|\be2e\b|\bvalidat(?:e|es|ed|ing|ion|ions)\b"
        r"|\bprevent|\bguard|\bquotas?\b|\bprotect|\benforc|\bisolat|\bseparat"
        r"|\bsegment|\brequire|\bharden|\bdedicated\b|\bsplit\b|\b2fa\b|\btwo-?factor|\bmfa\b"
        r"|\bleast.privilege|\baccess tokens?\b|\bpermissions?\b|\blint|\bstatic analysis"
        r"|\bcanary|\bstaged rollout|\bsafeguard|\bsanity.?check|\bpre-?flight|\bredundan"
        # Protection against overload keeps the outage from happening again.
        r"|\bcircuit.?breakers?|\brate.?limit|\bthrottl|\bload.?shed|\bbackoff|\bretry budget"
        r"|\bscal(?:e|ing)\b|\bautoscal|\bcapacity\b|\bheadroom|\breplicas?\b|\bbulkhead|\bjitter",
    ),
)

# Tier 2 in the other languages the importer reads (no word boundaries: CJK has none). Read
# when the English terms say nothing, so "Alarm einrichten" or "Automatizar el failover" get
# their kind although they are plain ASCII.
SPECIFIC_OTHER: tuple[tuple[Kind, str], ...] = (
    (
        "detective",
        # ja / zh / ko / vi
        r"監視|モニタ|アラート|観測|検知|通知|可視化|可视化|监控|告警|报警|监测|预警|检测|모니터|알림|경보"
        r"|감시|탐지|시각화|알람|대시보드|ダッシュボード|仪表盘|儀表板|看板|告警|警報"
        r"|giám sát|cảnh báo|theo dõi|phát hiện"
        # de / fr / es / pt / it / nl / ru
        r"|überwach|alarm|allarm|alert|surveill|supervis|vigil|sorveglian|avvis|notifica|meldung"
        r"|detect|detecç|detecc|rilev|erkenn|waarschuw|monitor|мониторинг|оповещ|оповест"
        r"|алерт|наблюд|обнаруж|health ?check|grafana|dashboard|panel|дашборд|панел|сповіщ",
    ),
    (
        "process",
        r"手順|ドキュメント|文書|マニュアル|手册|文档|流程|规范|培训|演练|复盘|审查|审核|レビュー|訓練|教育"
        r"|公表|周知|情報発信|公告|通报|공지"
        r"|bericht|rapport|informe|relatório|relazione|verslag|отчёт|отчет|báo cáo"
        r"|문서|프로세스|절차|교육|훈련|런북|검토|quy trình|tài liệu|đào tạo|hướng dẫn|rà soát"
        r"|dokumentation|dokumentier|prozess|schulung|handbuch|runbook|überprüfung|processus"
        r"|formation|procédure|procedimiento|proceso|processo|procedimento|documenta|capacita"
        r"|formazione|revisione|revisión|revisão|documentatie|procedure|opleiding"
        r"|регламент|документац|процесс|обучени|инструкци|ревью|procedur|手冊|手册|操作手冊|runbooka"
        r"|dokumentacj|szkoleni|документаці|навчанн|інструкці",
    ),
    (
        "mitigation",
        r"フォールバック|フェイルオーバー|縮退|切り替え|降级|回退|故障转移|熔断|限流|폴백|페일오버|장애\s*조치"
        r"|우회|chuyển đổi dự phòng|dự phòng|fallback|failover|ausweich|degrad|dégrad"
        r"|de repli|bascul|conmutación|contingencia|contingência|ripiego|откат|резервн|деградац"
        r"|переключени|暫定|暂时|临时|임시|tạm thời|provisor|vorläufig|vorlaufig|übergangs"
        r"|temporär|temporal|temporaire|temporane|временн",
    ),
    (
        "corrective",
        r"修正|修復|修复|恢复|复原|復旧|복구|수정|sửa|khắc phục|khôi phục|gia hạn"
        r"|beheb|reparier|wiederherstell|erneuer|korrigier|corrig|répar|restaur|renouvel"
        r"|repar|restablec|renov|ripar|ripristin|rinnov|correg|herstel|vernieuw"
        r"|исправ|восстанов|продл",
    ),
    (
        "preventive",
        r"テスト|防止|自動化|冗長|カナリア|测试|防止|隔离|自动化|冗余|金丝雀|预防|권한|테스트|분리|방지|자동화"
        r"|이중화|카나리|kiểm thử|ngăn chặn|tự động|dư thừa|test|prüf|automatis|redundan"
        r"|prevenir|prévenir|prevenzion|prevenç|prevenc|verhinder|voorkom|automati|canary"
        r"|kanarien|тест|предотвра|автоматиз|резервир",
    ),
)

# Tier 3: generic verbs and words; the earliest hit decides.
GENERIC: tuple[tuple[Kind, str], ...] = (
    ("detective", r"\bcheck\b|\bvisib|\bwatch\b|\btrack\b"),
    ("process", r"\breview\b|\bdocument|\btrain\b|\bshare\b"),
    (
        "corrective",
        r"\bcorrect\b|\bremove\b|\bupgrade|\bincrease|\bdecrease|\breplace|\breduce|\bresolve"
        r"|\banaly[sz]",
    ),
    ("preventive", r"\blimit|\bverif|\bensure\b|\bautomat|\bimprove reliability|\brobust"),
)


def _compile(table: tuple[tuple[Kind, str], ...]) -> tuple[tuple[Kind, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in table)


_LABEL_RES = tuple((re.compile(pattern), kind) for pattern, kind in LABELS)
_HINT_RES = tuple((re.compile(pattern), kind) for pattern, kind in HINTS)
_DECISIVE = _compile(DECISIVE)
_SPECIFIC = _compile(SPECIFIC)
_SPECIFIC_OTHER = _compile(SPECIFIC_OTHER)
# In ASCII text every foreign stem must start a word ("repar" not in "separate").
_SPECIFIC_OTHER_ASCII = tuple(
    (kind, re.compile("|".join(rf"\b{alt}" for alt in pattern.split("|") if alt.isascii())))
    for kind, pattern in SPECIFIC_OTHER
)
_GENERIC = _compile(GENERIC)


@lru_cache(maxsize=1024)
def kind_from_label(label: str) -> Kind | None:
    """The kind a Type cell or heading names ('prevention' -> preventive), else None."""
    low = label.lower()
    for pattern, kind in _LABEL_RES:
        if pattern.search(low):
            return kind
    return None


def kind_hint(heading: str) -> Kind | None:
    """A weak kind from a time-horizon heading ('Immediate actions' -> corrective), else None."""
    low = heading.lower()
    for pattern, kind in _HINT_RES:
        if pattern.search(low):
            return kind
    return None


def _earliest(low: str, table: tuple[tuple[Kind, re.Pattern[str]], ...]) -> Kind | None:
    best: tuple[int, Kind] | None = None
    for kind, pattern in table:
        m = pattern.search(low)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None


def _first(low: str, table: tuple[tuple[Kind, re.Pattern[str]], ...]) -> Kind | None:
    for kind, pattern in table:
        if pattern.search(low):
            return kind
    return None


def wording_tier(text: str) -> tuple[int, Kind] | None:
    """(tier, kind) the words suggest: 1 decisive, 2 specific, 3 generic; None if silent."""
    low = text.lower()
    kind = _first(low, _DECISIVE)
    if kind is not None:
        return 1, kind
    kind = _earliest(low, _SPECIFIC)
    if kind is None:
        kind = _earliest(low, _SPECIFIC_OTHER_ASCII if low.isascii() else _SPECIFIC_OTHER)
    if kind is not None:
        return 2, kind
    kind = _earliest(low, _GENERIC)
    return (3, kind) if kind is not None else None


def kind_from_wording(text: str) -> Kind | None:
    """The kind suggested by an item's words, or None when nothing matches."""
    found = wording_tier(text)
    return found[1] if found else None


def classify(
    text: str,
    *,
    label: Kind | None = None,
    heading: Kind | None = None,
    description: str = "",
    hint: Kind | None = None,
) -> Kind:
    """Kind of one measure: label, then wording and heading by strength; preventive by default.

    `text` is the item's title (or title and description together); `description` is read
    only when the title says nothing.
    """
    if label is not None:
        return label
    found = wording_tier(text)
    if found is None and description:
        # The description often explains the evidence ("metrics showed ..."): weak, like a
        # generic verb, so a heading outranks it.
        from_description = wording_tier(description)
        found = (3, from_description[1]) if from_description else None
    if found is not None:
        tier, kind = found
        if heading is None or kind == heading or tier == 1:
            return kind
        if tier == 2 and (kind == "detective" or heading == "process"):
            return kind
        return heading
    return heading or hint or "preventive"
