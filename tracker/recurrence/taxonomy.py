"""The failure classes (docs/recurrence.md): what kind of failure an incident was.

Each class has words in the languages the importer reads (English, German, French, Portuguese,
Spanish, Japanese, Chinese, Korean, Vietnamese). Patterns are regular expressions matched on
lower-cased text; Latin-script words match at word starts, CJK words anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FailureClass:
    name: str
    label: str
    patterns: tuple[str, ...]


CLASSES: tuple[FailureClass, ...] = (
    FailureClass(
        "certificate",
        "an expired, missing or wrong TLS certificate",
        (
            r"certificat\w*",
            r"certs?\b",
            r"\btls\b",
            r"\bssl\b",
            r"x\.?509",
            r"\bca bundle",
            r"let'?s ?encrypt",
            r"zertifikat\w*",
            r"certificado\w*",
            r"chứng chỉ",
            "証明書",
            "证书",
            "憑證",
            "인증서",
        ),
    ),
    FailureClass(
        "dns",
        "a bad DNS change, delegation or resolution failure",
        (
            r"\bdns\w*",
            r"name ?servers?",
            r"\bnxdomain",
            r"\brrsig",
            r"delegat\w+ zone",
            r"zone delegation",
            r"namensauflösung",
            r"résolution de noms",
            "域名解析",
            "名前解決",
            "도메인",
        ),
    ),
    FailureClass(
        "disk_full",
        "a full disk or volume",
        (
            r"disk (?:space|full|usage)",
            r"(?:ran|run|running) out of (?:disk|space|storage)",
            r"no space left",
            r"out of (?:disk|storage)",
            r"(?:volume|pvc|partition|ssd|filesystem|file system|disk) (?:was |is |got )?(?:full|filled)",
            r"filled (?:up )?the (?:disk|volume)",
            r"\binodes?\b",
            r"festplatte (?:voll|belegt)",
            r"speicherplatz",
            r"disque plein",
            r"espace disque",
            r"disco (?:cheio|lleno)",
            r"espaço em disco",
            r"ổ đĩa đầy",
            "磁盘空间",
            "空间不足",
            "硬盘已满",
            "ディスク容量",
            "디스크 용량",
            "디스크 가득",
        ),
    ),
    FailureClass(
        "credential_leak",
        "a leaked, stolen or lost credential, token or key",
        (
            r"leak\w* (?:\w+ ){0,3}(?:token|credential|key|secret|password)",
            r"(?:token|credential|secret|api key|password)s? (?:\w+ ){0,3}(?:leak|expos|compromis|stolen)\w*",
            r"personal access token",
            r"\bcompromised\b",
            r"\bcredentials?\b",
            r"rotat\w+ (?:the )?(?:token|credential|key|secret)s?",
            r"zugangsdaten",
            r"identifiants",
            r"credenciai?s",
            "泄露",
            "漏洩",
            "유출",
        ),
    ),
    FailureClass(
        "intrusion",
        "an attacker inside: malware, worm, exploit, unauthorised access",
        (
            r"\bworm\b",
            r"\bmalware",
            r"\bintrusion",
            r"\battacker",
            r"\bexploit\w*",
            r"unauthori[sz]ed access",
            r"\bbrute[- ]?forc\w*",
            r"\bmalicious",
            r"\bbackdoor",
            r"\bcrypto ?min\w*",
            "入侵",
            "病毒",
            "蠕虫",
            "攻撃",
            "침입",
        ),
    ),
    FailureClass(
        "db_failover",
        "a failed database failover, replication or primary switch",
        (
            r"\bfail-?over",
            r"\breplicat\w+",
            r"master-master",
            r"master-slave",
            r"primary (?:database|db|node) ",
            r"\bsplit[- ]brain",
            r"\bvip\b",
            "フェイルオーバー",
            "主从",
            "복제",
        ),
    ),
    FailureClass(
        "bad_release",
        "a bad deploy, release or upgrade that had to be fixed or rolled back",
        (
            r"\brolled? ?back",
            r"\brollback",
            r"\bregression",
            r"(?:bad|faulty|broken|botched) (?:deploy\w*|release|upgrade|rollout)",
            r"(?:deploy\w*|release|upgrade|rollout|refactor\w*) (?:\w+ ){0,4}(?:broke|removed|introduced|caused)",
            r"\bupgrade (?:halt|failure)",
            r"\bv\d+(?:\.\d+)* (?:upgrade|release)",
            r"(?:in|during|after|by) (?:a|an|the) (?:[\w.-]+ ){0,2}(?:upgrade|release|refactor\w*)\b",
            r"(?:clean-?up|refactor\w*|change|upgrade|release)\b[^.]{0,60}\b(?:removed|broke|misapplied)",
            r"\bwrong version",
            r"instead of v?\d+\.\d+",
            r"release v?\d+\.\d+",
            r"リリース",
            "升级",
            "배포",
        ),
    ),
    FailureClass(
        "overload",
        "exhausted capacity: memory, CPU, connections or a traffic spike",
        (
            r"out of memory",
            r"\boom\b",
            r"oom[- ]?kill\w*",
            r"memory leak",
            r"\bcpu (?:exhaust\w*|saturat\w*|starv\w*|load)",
            r"(?:traffic|launch|load|usage|request)s? (?:spike|surge|burst)",
            r"(?:traffic|load|demand)\b[^.]{0,40}(?:underestimat\w*|\d+x normal)",
            r"(?:spike|surge|burst) (?:of|in) (?:traffic|load|requests|launches)",
            r"\boverload\w*",
            r"\bexhaust\w*",
            r"connection pool",
            r"\bsaturat\w*",
            r"\bcapacity\b",
            r"rate[- ]limit\w*",
            r"\b\d+x (?:normal|the usual) (?:traffic|load)",
            r"speicher(?:mangel|überlauf)",
            r"surcharge",
            r"sobrecarga",
            "内存不足",
            "过载",
            "メモリ不足",
            "과부하",
            "quá tải",
        ),
    ),
    FailureClass(
        "dependency",
        "an outage of a provider or third-party service it depends on",
        (
            r"\bthird[- ]party",
            r"\bupstream (?:provider|service|outage)",
            r"\b(?:aws|s3|gcp|azure|cloudflare|cloudinary|github|openai|vidis) (?:\w+ ){0,2}(?:outage|down|unavailable|offline|incident)",
            r"\bprovider(?:'s)? (?:outage|incident|side)",
            r"\bvendor(?:'s)? (?:outage|incident|side)",
            r"\bdepend\w* on (?:an? )?(?:external|third)",
            r"\bwhich (?:\w+ ){0,4}depends on\b",
            r"\bon the \w+ side\b",
            r"drittanbieter",
            r"fournisseur",
            r"fornecedor",
            "第三方",
            "外部サービス",
        ),
    ),
    FailureClass(
        "network",
        "a network, routing, gateway or power failure that cut connectivity",
        (
            r"\bnetwork (?:outage|failure|partition|connectivity)",
            r"\bconnectivity\b",
            r"\brout(?:e|ing) (?:table|was deleted|deleted)",
            r"\binternet gateway",
            r"\b(?:internet|vpn|network|default) gateways?",
            r"\bvpn\w*",
            r"\bbgp\b",
            r"\bpacket loss",
            r"\bpower (?:outage|failure)",
            r"\bups\b",
            r"\bgenerator",
            r"netzwerk\w*",
            r"stromausfall",
            r"réseau",
            r"\brede\b",
            "网络",
            "ネットワーク",
            "네트워크",
        ),
    ),
)

BY_NAME = {c.name: c for c in CLASSES}
NAMES = tuple(BY_NAME)

_COMPILED = {c.name: re.compile("|".join(f"(?:{p})" for p in c.patterns)) for c in CLASSES}


def count_hits(text: str) -> dict[str, int]:
    """How often each class's words occur in `text`."""
    low = text.lower()
    out = {}
    for name, rx in _COMPILED.items():
        hits = len(rx.findall(low))
        if hits:
            out[name] = hits
    return out


def check_names(names: list[str]) -> list[str]:
    """Validate class names typed by a person; ValueError names the known ones."""
    out = []
    for raw in names:
        name = raw.strip().lower().replace("-", "_")
        if not name:
            continue
        if name not in BY_NAME:
            raise ValueError(f"unknown failure class {raw!r}; use one of {', '.join(NAMES)}")
        if name not in out:
            out.append(name)
    return out
