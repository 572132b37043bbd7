"""Second round of issue 11: start/end labels in twelve languages, reST through docutils, kind words.

Every document here is a small synthetic snippet written for this test; none comes from the
corpus. Each test checks what an importing user sees: the incident window, the measures and
their kinds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tracker.postmortem import parse_postmortem
from tracker.postmortem.classify import classify
from tracker.postmortem.model import ParsedPostmortem


def parse(text: str, name: str = "pm.md") -> ParsedPostmortem:
    return parse_postmortem(text, name=name)


def tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


ACTIONS = "\n\n## Action items\n\n- Add an alert on queue depth\n"


@pytest.mark.parametrize(
    ("header", "offset"),
    [
        ("Inicio: 14/09/2026 10:05 (UTC-3)\nFin: 14/09/2026 11:35 (UTC-3)", -3),
        ("Início: 14/09/2026 10:05 (UTC-3)\nFim: 14/09/2026 11:35 (UTC-3)", -3),
        ("Beginn: 14.09.2026 10:05 (MESZ)\nEnde: 14.09.2026 11:35 (MESZ)", 2),
        ("Beginn: 14.01.2026 10:05 (MEZ)\nEnde: 14.01.2026 11:35 (MEZ)", 1),
        ("Début : 14/09/2026 10:05 UTC+2\nFin : 14/09/2026 11:35 UTC+2", 2),
        ("Inizio: 14/09/2026 10:05 UTC+2\nFine: 14/09/2026 11:35 UTC+2", 2),
        ("Начало: 14.09.2026 10:05 MSK\nОкончание: 14.09.2026 11:35 MSK", 3),
        ("开始时间：2026-09-14 10:05（UTC+8）\n结束时间：2026-09-14 11:35（UTC+8）", 8),
        ("発生: 2026年9月14日 10時05分 JST\n復旧: 2026年9月14日 11時35分 JST", 9),
        ("발생 시각: 2026-09-14 10:05 KST\n복구 시각: 2026-09-14 11:35 KST", 9),
        (
            "Thời gian bắt đầu: 2026-09-14 10:05 UTC+7\nThời gian kết thúc: 2026-09-14 11:35 UTC+7",
            7,
        ),
        ("- Start: 2026-09-14 10:05 UTC\n- End: 2026-09-14 11:35 UTC", 0),
        (
            "**Hora de inicio:** 14/09/2026 10:05 (UTC-3)\n**Hora de fin:** 14/09/2026 11:35 (UTC-3)",
            -3,
        ),
        ("Störungsbeginn: 14.09.2026 10:05 MESZ\nStörungsende: 14.09.2026 11:35 MESZ", 2),
        ("Время начала: 14.09.2026 10:05 MSK\nВремя окончания: 14.09.2026 11:35 MSK", 3),
    ],
)
def test_start_and_end_labels_in_other_languages(header: str, offset: int) -> None:
    month = 1 if "MEZ)" in header else 9
    result = parse(f"# Payment outage\n\n{header}{ACTIONS}")
    assert result.started_at == datetime(2026, month, 14, 10, 5, tzinfo=tz(offset))
    assert result.ended_at == datetime(2026, month, 14, 11, 35, tzinfo=tz(offset))
    assert result.duration_minutes == 90


def test_html_fact_table_with_header_cells_gives_the_window() -> None:
    page = (
        "<html><body><h1>Login outage</h1><table>"
        "<tr><th>Incident start</th><td>2026-09-14 10:05 UTC</td></tr>"
        "<tr><th>Incident end</th><td>2026-09-14 11:35 UTC</td></tr>"
        "<tr><th>Severity</th><td>SEV2</td></tr></table>"
        "<h2>Action items</h2><ul><li>Add an alert on login errors</li></ul></body></html>"
    )
    result = parse(page, name="pm.html")
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 9, 14, 11, 35, tzinfo=UTC)
    assert [m.title for m in result.measures] == ["Add an alert on login errors"]


def test_cjk_date_times_in_prose_give_the_impact_window() -> None:
    text = (
        "# 決済障害\n\n2026年9月14日 10時05分(JST)に決済APIが停止し、11時35分(JST)に復旧しました。\n\n"
        "## 再発防止策\n\n- 決済APIの監視を追加する\n"
    )
    result = parse(text)
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=tz(9))
    assert result.ended_at == datetime(2026, 9, 14, 11, 35, tzinfo=tz(9))
    assert [m.kind for m in result.measures] == ["detective"]


RST = """\
Database outage on the build farm
=================================

:Start: 2026-03-04 10:05 UTC
:End: 2026-03-04 11:35 UTC

The build database went down.

Action items
============

* Add an alert on replication lag so that the on-call engineer
  hears about it before users do.

* Write a runbook for failing over the primary database to the
  replica in the other zone.

* Restore the nightly backups
  into a scratch cluster every week.
"""


def test_rst_bullets_wrapping_onto_indented_lines_under_underlined_titles() -> None:
    result = parse(RST, name="outage.rst")
    assert result.format == "rst"
    assert [m.title for m in result.measures] == [
        "Add an alert on replication lag so that the on-call engineer hears about it before "
        "users do",
        "Write a runbook for failing over the primary database to the replica in the other zone",
        "Restore the nightly backups into a scratch cluster every week",
    ]
    assert result.started_at == datetime(2026, 3, 4, 10, 5, tzinfo=UTC)
    assert result.duration_minutes == 90


def test_rst_shape_is_recognised_without_the_file_suffix() -> None:
    result = parse(RST, name="outage.txt")
    assert result.format == "rst"
    assert len(result.measures) == 3


def test_rst_substitutions_and_a_malformed_table_still_give_the_measures() -> None:
    text = (
        ".. |owner| replace:: Alice\n\nDNS outage\n==========\n\n"
        "===== =====\nDate: x  Author: y\n----- -----\n\n"
        "Follow-up\n---------\n\n#. Move the zone to the new name servers (|owner|)\n\n"
        "#. Add a check that every delegation\n   resolves\n"
    )
    result = parse(text, name="dns.rst")
    assert [m.title for m in result.measures] == [
        "Move the zone to the new name servers (Alice)",
        "Add a check that every delegation resolves",
    ]


def test_rst_never_reads_other_files(tmp_path: object) -> None:
    text = "Outage\n======\n\n.. include:: /etc/passwd\n\nActions\n-------\n\n- Fix the job\n"
    result = parse(text, name="pm.rst")
    assert [m.title for m in result.measures] == ["Fix the job"]
    assert "root:" not in (result.impact or "") + (result.root_cause or "")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Alarm für die Replikationsverzögerung einrichten", "detective"),
        ("Aggiungere un allarme sulla coda", "detective"),
        ("Configurar monitoreo de la cola", "detective"),
        ("Runbook für den Failover schreiben", "process"),
        ("Documentar el procedimiento de restauración", "process"),
        ("Formation de l'équipe d'astreinte", "process"),
        ("Renouveler le certificat", "corrective"),
        ("Corrigir a configuração do DNS", "corrective"),
        ("Automatiser les tests de restauration", "preventive"),
        ("Canary-Deployment einführen", "preventive"),
        ("Fallback auf den Cache bei Ausfall", "mitigation"),
        ("Dégrader gracieusement la recherche", "mitigation"),
        ("証明書の更新手順をドキュメント化する", "process"),
        ("自動化されたテストを追加する", "preventive"),
        ("フェイルオーバーを構成する", "mitigation"),
        ("增加告警", "detective"),
        ("编写故障转移演练手册", "mitigation"),
        ("이중화 구성", "preventive"),
        ("Thiết lập cảnh báo cho hàng đợi", "detective"),
        ("Исправить конфигурацию DNS", "corrective"),
        # A foreign stem never matches inside an English word ("repar" in "separate").
        ("Separate the queue workers from the web tier", "preventive"),
        ("Prepare the spare broker", "preventive"),
    ],
)
def test_kind_words_in_other_languages(title: str, kind: str) -> None:
    assert classify(title) == kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Prävention", "preventive"), ("Détection", "detective"), ("Mitigación", "mitigation")],
)
def test_typed_sub_headings_in_other_languages_give_the_kind(heading: str, kind: str) -> None:
    text = f"# Outage\n\n## Action items\n\n### {heading}\n\n- Something about the queue\n"
    assert [m.kind for m in parse(text).measures] == [kind]


def test_two_column_table_rows_are_labelled_facts() -> None:
    text = (
        "# Outage\n\n| Champ | Valeur |\n|---|---|\n| Début | 14/09/2026 10:05 (UTC+2) |\n"
        "| Fin | 14/09/2026 11:35 (UTC+2) |\n\n## Actions\n\n- Ajouter une alerte\n"
    )
    result = parse(text)
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=tz(2))
    assert result.duration_minutes == 90


@pytest.mark.parametrize(
    ("prose", "offset"),
    [
        (
            "El servicio se detuvo el 14 de septiembre de 2026 a las 10:05 (UTC-3) y se "
            "restableció a las 11:35 (UTC-3).",
            -3,
        ),
        (
            "Der Ausfall begann am 14. September 2026 um 10:05 MESZ und war um 11:35 MESZ behoben.",
            2,
        ),
        ("Сбой начался 14 сентября 2026 г. в 10:05 MSK и был устранен в 11:35 MSK.", 3),
        (
            "Sự cố bắt đầu ngày 14 tháng 9 năm 2026 lúc 10:05 UTC+7 và được khắc phục lúc "
            "11:35 UTC+7.",
            7,
        ),
    ],
)
def test_dates_with_month_names_in_other_languages(prose: str, offset: int) -> None:
    result = parse(f"# Outage\n\n{prose}{ACTIONS}")
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=tz(offset))
    assert result.ended_at == datetime(2026, 9, 14, 11, 35, tzinfo=tz(offset))


def test_html_definition_list_of_facts_and_a_zone_in_the_label() -> None:
    page = (
        "<html><body><h1>Search outage</h1><dl><dt>Start time (UTC)</dt><dd>2026-09-14 10:05</dd>"
        "<dt>End time (UTC)</dt><dd>2026-09-14 11:35</dd></dl>"
        "<h2>Action items</h2><ol><li>Add an alert on search latency</li></ol></body></html>"
    )
    result = parse(page, name="pm.html")
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 9, 14, 11, 35, tzinfo=UTC)
    assert result.duration_minutes == 90


@pytest.mark.parametrize(
    ("header", "offset"),
    [
        (
            "発生日時：2026年9月14日 午後3時05分（日本時間）\n復旧日時：2026年9月14日 午後4時35分（日本時間）",
            9,
        ),
        (
            "开始时间：2026年9月14日 下午3点05分（北京时间）\n结束时间：2026年9月14日 下午4点35分（北京时间）",
            8,
        ),
        (
            "발생 시각: 2026년 9월 14일 오후 3시 5분 (한국 시간)\n복구 시각: 2026년 9월 14일 오후 4시 35분 (한국 시간)",
            9,
        ),
        ("Начало: 14.09.2026 15:05 МСК\nОкончание: 14.09.2026 16:35 МСК", 3),
    ],
)
def test_afternoon_words_and_zone_words_in_other_languages(header: str, offset: int) -> None:
    result = parse(f"# Outage\n\n{header}{ACTIONS}")
    assert result.started_at == datetime(2026, 9, 14, 15, 5, tzinfo=tz(offset))
    assert result.duration_minutes == 90


def test_rst_with_sphinx_roles_and_directives_keeps_its_text() -> None:
    text = (
        "DB outage\n=========\n\n.. toctree::\n   :maxdepth: 2\n\nSee :ref:`runbook`.\n\n"
        "Action items\n============\n\n* Update the :ref:`failover runbook <fo>` for the replica\n"
        "  in the other zone\n* Add an alert on lag\n"
    )
    result = parse(text, name="db.rst")
    assert [m.title for m in result.measures] == [
        "Update the failover runbook for the replica in the other zone",
        "Add an alert on lag",
    ]


@pytest.mark.parametrize(
    ("statement", "minutes"),
    [
        ("Duración: 2 horas y 15 minutos", 135),
        ("Durata: 90 minuti", 90),
        ("Duur: 1 uur en 30 minuten", 90),
        ("Длительность: 1 ч 30 мин", 90),
        ("持续时间：1小时30分钟", 90),
        ("障害時間：1時間30分", 90),
        ("장애 시간: 1시간 30분", 90),
        ("Thời gian gián đoạn: 1 giờ 30 phút", 90),
    ],
)
def test_stated_durations_in_other_languages(statement: str, minutes: int) -> None:
    text = f"# Outage\n\n{statement}\n\nStart: 2026-09-14 10:00 UTC\nEnd: 2026-09-14 10:10 UTC{ACTIONS}"
    assert parse(text).duration_minutes == minutes


def test_rst_list_table_and_grid_table_of_actions() -> None:
    text = """\
Queue outage
============

Action items
============

.. list-table::
   :header-rows: 1

   * - Action
     - Owner
     - Due date
   * - Add an alert on queue depth
     - Dana
     - 2026-10-01

+------------------------------+-------+
| Action                       | Owner |
+==============================+=======+
| Write a runbook for failover | Lee   |
+------------------------------+-------+
"""
    result = parse(text, name="queue.rst")
    assert [(m.title, m.owner) for m in result.measures] == [
        ("Add an alert on queue depth", "Dana"),
        ("Write a runbook for failover", "Lee"),
    ]


def test_zone_after_the_date_that_follows_the_time() -> None:
    text = (
        "# Sự cố\n\n**Thời gian bắt đầu:** 10:05 14/09/2026 (UTC+7)\n"
        "**Thời gian kết thúc:** 11:35 14/09/2026 (UTC+7)\n\n## Hành động\n\n- Thêm cảnh báo\n"
    )
    result = parse(text)
    assert result.started_at == datetime(2026, 9, 14, 10, 5, tzinfo=tz(7))
    assert result.ended_at == datetime(2026, 9, 14, 11, 35, tzinfo=tz(7))


@pytest.mark.parametrize(
    "heading",
    [
        "How do we prevent this from happening again?",
        "How will we prevent this?",
        "What's next",
        "Looking forward",
        "What we are changing",
        "Steps we're taking",
        "What will we do differently?",
        "Ensuring this does not happen again",
        "Work items",
        "Fixes",
    ],
)
def test_english_ways_of_naming_the_follow_ups(heading: str) -> None:
    doc = f"# Queue outage\n\n## What went wrong\n\n- Nobody was paged\n\n## {heading}\n\n" + (
        "- Page the on-call engineer on queue depth\n- Document the manual drain\n"
    )
    titles = [m.title for m in parse(doc).measures]
    assert titles == ["Page the on-call engineer on queue depth", "Document the manual drain"]


@pytest.mark.parametrize(
    "heading", ["How could we have detected it sooner?", "What went wrong", "Lessons learned"]
)
def test_headings_about_something_else_give_no_measures(heading: str) -> None:
    doc = f"# Queue outage\n\n## {heading}\n\n- The queue depth graph was not on the dashboard\n"
    assert [m.title for m in parse(doc).measures if m.confidence >= 0.6] == []


@pytest.mark.parametrize(
    ("prose", "start", "end"),
    [
        (
            "Jobs ran late on 2026-04-20 between 10:00 and 11:30 UTC.",
            datetime(2026, 4, 20, 10, 0, tzinfo=UTC),
            datetime(2026, 4, 20, 11, 30, tzinfo=UTC),
        ),
        (
            "Tue 6 Oct 2026 (~0930) to Wed 7 Oct 2026 (~1415) (~28.75 hours)",
            datetime(2026, 10, 6, 9, 30),  # noqa: DTZ001 - the document names no zone
            datetime(2026, 10, 7, 14, 15),  # noqa: DTZ001
        ),
        (
            "On 11 February 2026 at 3:05pm UTC search stopped answering. "
            "It was back at 3:50pm UTC.",
            datetime(2026, 2, 11, 15, 5, tzinfo=UTC),
            datetime(2026, 2, 11, 15, 50, tzinfo=UTC),
        ),
    ],
)
def test_windows_stated_in_one_sentence(prose: str, start: datetime, end: datetime) -> None:
    result = parse(f"# Outage\n\n{prose}{ACTIONS}")
    assert (result.started_at, result.ended_at) == (start, end)


def test_a_rst_blog_date_field_gives_the_year_not_the_incident_day() -> None:
    doc = (
        "Outage\n======\n\n:date: 2026-05-16\n\n"
        "On May 14th between 09:10 and 10:25 PDT the API was down.\n\n"
        "Action items\n------------\n\n- Add an alert on the VIP\n"
    )
    result = parse(doc, name="outage.rst")
    assert result.started_at == datetime(2026, 5, 14, 9, 10, tzinfo=tz(-7))
    assert result.duration_minutes == 75


@pytest.mark.parametrize(
    ("prose", "title"),
    [
        ("我们已经删除了部分旧文件，之后会考虑购买更大的硬盘。", "购买更大的硬盘"),
        ("服务已恢复。后续将增加磁盘监控。", "增加磁盘监控"),
        ("我们计划在下个月迁移到新的存储服务器。", "在下个月迁移到新的存储服务器"),
        ("目前已恢复正常，接下来我们会完善告警机制。", "完善告警机制"),
    ],
)
def test_chinese_follow_ups_stated_in_a_news_post(prose: str, title: str) -> None:
    result = parse(f"---\ntitle: 镜像站通知\n---\n\n{prose}\n")
    assert [m.title for m in result.measures if m.confidence >= 0.6] == [title]


@pytest.mark.parametrize(
    ("item", "title", "owner", "due"),
    [
        (
            "Vorab-Check einbauen (Verantwortlich: Jonas Becker, bis 13.11.2026)",
            "Vorab-Check einbauen",
            "Jonas Becker",
            "2026-11-13",
        ),
        (
            "사전 점검 추가 (담당: 결제플랫폼팀, 7월 31일까지)",
            "사전 점검 추가",
            "결제플랫폼팀",
            "2026-07-31",
        ),
        (
            "アラートを追加する（担当: 佐藤、4月30日まで）",
            "アラートを追加する",
            "佐藤",
            "2026-04-30",
        ),
        ("增加监控（负责人：张三，2026年5月1日前）", "增加监控", "张三", "2026-05-01"),
    ],
)
def test_owner_and_due_written_in_other_languages(
    item: str, title: str, owner: str, due: str
) -> None:
    result = parse(f"# Outage 2026-03-01\n\n## Action items\n\n- {item}\n")
    [measure] = result.measures
    assert (measure.title, measure.owner, str(measure.due_date)) == (title, owner, due)


def test_done_written_in_german_ends_the_item() -> None:
    result = parse(
        "# Ausfall\n\n## Maßnahmen\n\n- Alarm einrichten – erledigt\n- Runbook schreiben\n"
    )
    assert [(m.title, m.doc_status) for m in result.measures] == [
        ("Alarm einrichten", "done"),
        ("Runbook schreiben", None),
    ]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        (
            "Le mardi 17 février 2026, de 08h02 à 09h31 (heure de Paris, CET), le DNS a cessé.",
            datetime(2026, 2, 17, 8, 2, tzinfo=tz(1)),
            datetime(2026, 2, 17, 9, 31, tzinfo=tz(1)),
        ),
        (
            "**Fecha:** 12 de mayo de 2026\n**Duración:** de 10:20 a 13:05 (CEST)",
            datetime(2026, 5, 12, 10, 20, tzinfo=tz(2)),
            datetime(2026, 5, 12, 13, 5, tzinfo=tz(2)),
        ),
        (
            "Am 03.11.2026 ab 14:00 Uhr (MEZ) bis 17:40 Uhr war der Speicher gestört.",
            datetime(2026, 11, 3, 14, 0, tzinfo=tz(1)),
            datetime(2026, 11, 3, 17, 40, tzinfo=tz(1)),
        ),
    ],
)
def test_windows_written_in_other_languages(header: str, start: datetime, end: datetime) -> None:
    result = parse(f"# Incident\n\n{header}{ACTIONS}")
    assert (result.started_at, result.ended_at) == (start, end)


def test_upper_case_fields_of_a_plain_text_report_are_not_headings() -> None:
    text = (
        "INCIDENT REPORT - VPN OUTAGE\n============================\n\n"
        "DATE:             2026-05-27\nSEVERITY:         2\n\n"
        "TIMELINE (ALL TIMES UTC)\n------------------------\n"
        "  10:05   First failed logins\n  12:20   Logins work again\n\n"
        "FOLLOW-UP ACTIONS\n-----------------\n- Alert on failed logins\n"
    )
    result = parse(text, name="report.txt")
    assert result.started_at == datetime(2026, 5, 27, 10, 5, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 5, 27, 12, 20, tzinfo=UTC)
