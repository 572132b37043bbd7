"""Clock forms, zone words and place names as authors in many countries write them.

Every string here is a small synthetic example written for this test. Each asserts the time,
offset or window a reader of that sentence would take from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from tracker.postmortem import parse_postmortem
from tracker.postmortem.dates import (
    DateContext,
    find_moments,
    find_times,
    find_zone,
    stated_duration,
)


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def moments(text: str, on: date = date(2027, 2, 3)) -> list[tuple[time | None, object]]:
    return [(m.at, m.tz) for m in find_moments(text, DateContext(default_date=on))]


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("at 09:00 US/Pacific", -8),  # February: standard time
        ("at 09:00 Europe/Berlin", 1),
        ("at 09:00 Istanbul time", 3),
        ("at 09:00 New York time", -5),
        ("às 09:00 (horário de Brasília)", -3),
        ("a las 09:00 (hora del centro de México)", -6),
        ("alle 09:00 (ora italiana)", 1),
        ("à 09:00 (heure de Paris)", 1),
        ("um 09:00 Berliner Zeit", 1),
        ("о 09:00 за київським часом", 2),
        ("в 09:00 по киевскому времени", 2),
        ("09:00（台灣時間）", 8),
        ("09:00 HNE", -5),
        ("09:00 WITA", 8),
    ],
)
def test_zones_named_by_place_or_local_abbreviation(text: str, offset: float) -> None:
    assert moments(text)[-1] == (time(9, 0), tz(offset))


def test_a_place_follows_daylight_time_on_the_day_in_question() -> None:
    assert moments("at 09:00 US/Pacific", date(2027, 7, 1)) == [(time(9, 0), tz(-7))]
    assert moments("um 09:00 Berliner Zeit", date(2027, 7, 1)) == [(time(9, 0), tz(2))]


def test_words_before_time_that_are_no_place_give_no_zone() -> None:
    assert find_zone("Response time and Start time were fine") is None


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("上午 10:20", time(10, 20)),
        ("下午 1:35", time(13, 35)),
        ("오후 3:05", time(15, 5)),
        ("8 h 47 (HNE)", time(8, 47)),
        ("21.15 WIB", time(21, 15)),
        ("14.30 Uhr", time(14, 30)),
        ("- 00.10 — job re-run", time(0, 10)),
    ],
)
def test_clock_forms(text: str, clock: time) -> None:
    assert [t.value for t in find_times(text)] == [clock]


@pytest.mark.parametrize("text", ["version 4.12 of the app", "a ratio of 0.35 was seen"])
def test_dotted_numbers_without_a_zone_or_dash_are_not_times(text: str) -> None:
    assert find_times(text) == []


@pytest.mark.parametrize(
    ("prose", "start", "end"),
    [
        (
            "Il 5 gennaio 2027, dalle 14:20 alle 15:05 (ora italiana), il checkout è fallito.",
            datetime(2027, 1, 5, 14, 20, tzinfo=tz(1)),
            datetime(2027, 1, 5, 15, 5, tzinfo=tz(1)),
        ),
        (
            "Em 15/01/2027, entre 18h12 e 19h03 (horário de Brasília), o Pix ficou lento.",
            datetime(2027, 1, 15, 18, 12, tzinfo=tz(-3)),
            datetime(2027, 1, 15, 19, 3, tzinfo=tz(-3)),
        ),
        (
            "5 січня 2027 року з 09:15 до 10:40 за київським часом сервіс не працював.",
            datetime(2027, 1, 5, 9, 15, tzinfo=tz(2)),
            datetime(2027, 1, 5, 10, 40, tzinfo=tz(2)),
        ),
        (
            "5 stycznia 2027 r. od 14:10 do ok. 16:15 (CET) kolejka stała.",
            datetime(2027, 1, 5, 14, 10, tzinfo=tz(1)),
            datetime(2027, 1, 5, 16, 15, tzinfo=tz(1)),
        ),
        (
            "2027年1月5日 上午 10:20 至 下午 1:35（台灣時間），點數重複發放。",
            datetime(2027, 1, 5, 10, 20, tzinfo=tz(8)),
            datetime(2027, 1, 5, 13, 35, tzinfo=tz(8)),
        ),
        (
            "On 5 January 2027 from 21.15 WIB to 00.35 WIB (6 January) callbacks failed.",
            datetime(2027, 1, 5, 21, 15, tzinfo=tz(7)),
            datetime(2027, 1, 6, 0, 35, tzinfo=tz(7)),
        ),
    ],
)
def test_windows_in_local_date_range_and_zone_forms(
    prose: str, start: datetime, end: datetime
) -> None:
    result = parse_postmortem(f"# Outage of the shop\n\n{prose}\n", name="pm.md")
    assert (result.started_at, result.ended_at) == (start, end)


@pytest.mark.parametrize(
    ("statement", "minutes"),
    [
        ("| Czas trwania | około 2 godzin |", 120),
        ("| **Dauer** | ca. 2,5 Stunden |", 150),
        ("Total duration is 1,5 hours.", 90),
        ("Durée : 1 h 15", 75),
        ("| **Duration** | ±3 hours 20 minutes |", 200),
        ("| Total duration | 78 minutes |", 78),
        ("Foram aproximadamente 51 minutos de degradação.", 51),
        ("服务中断，共持续 47 分钟。", 47),
        ("サービスが停止し、約3時間にわたり画像が表示されなかった。", 180),
        ("Сервіс не працював близько 2 годин.", 120),
        ("La caída duró 40 minutos.", 40),
    ],
)
def test_stated_durations_hedged_or_under_a_label(statement: str, minutes: int) -> None:
    assert stated_duration(statement) == minutes


def test_a_labelled_duration_wins_over_how_long_a_step_took() -> None:
    text = "Total duration is 1,5 hours. The dashboard misled us for 35 minutes."
    assert stated_duration(text) == 90


def test_english_hedged_figures_in_prose_are_not_the_outage_length() -> None:
    assert stated_duration("The rollback took about 20 minutes.") is None


def test_a_window_crossing_midnight_with_the_end_date_written_after_it() -> None:
    prose = "| **Time** | 21.15 WIB – 00.35 WIB (6 January 2027) |"
    result = parse_postmortem(f"# Callbacks rejected\n\n{prose}\n", name="pm.md")
    assert result.started_at == datetime(2027, 1, 5, 21, 15, tzinfo=tz(7))
    assert result.ended_at == datetime(2027, 1, 6, 0, 35, tzinfo=tz(7))


def test_a_document_in_a_day_first_language_reads_ambiguous_dates_day_first() -> None:
    text = (
        "# Lentidão no Pix\n\nNa terça-feira, 05/01/2027, entre 18h12 e 19h03 (horário de "
        "Brasília), a criação de cobranças não funcionou para uma parte dos clientes. "
        "O problema foi causado por uma migração e não houve perda de dados.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2027, 1, 5, 18, 12, tzinfo=tz(-3))
    assert any(w.code == "date_order_inferred" for w in result.warnings)


def test_an_english_document_keeps_the_configured_month_first_order() -> None:
    text = "# Outage\n\nOn 05/01/2027 between 10:00 and 11:00 UTC the API was down for all of us.\n"
    assert parse_postmortem(text, name="pm.md").started_at == datetime(2027, 5, 1, 10, tzinfo=UTC)


def test_a_line_announcing_the_zone_applies_to_the_window_in_prose() -> None:
    text = (
        "# Storing iDEAL\n\nAlle tijden in CET.\n\n"
        "Op 22-03-2027 van 09:42 tot 11:10 werkte de betaalpagina niet.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2027, 3, 22, 9, 42, tzinfo=tz(1))
    assert result.ended_at == datetime(2027, 3, 22, 11, 10, tzinfo=tz(1))


def test_the_day_from_on_inside_a_sentence_and_pm_shared_by_a_range() -> None:
    text = (
        "# Summary of the queue service event\n\n"
        "We want to explain the disruption in the West Region on October 20, 2026.\n\n"
        "Between 7:42 and 9:15 PM PDT, customers saw elevated error rates.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2026, 10, 20, 19, 42, tzinfo=tz(-7))
    assert result.ended_at == datetime(2026, 10, 20, 21, 15, tzinfo=tz(-7))


def test_a_24_hour_range_keeps_its_morning_start() -> None:
    text = "# Outage\n\nOn 20 October 2026 from 6:15 to 19:49 UTC the API failed.\n"
    assert parse_postmortem(text, name="pm.md").started_at == datetime(
        2026, 10, 20, 6, 15, tzinfo=UTC
    )


def test_a_day_without_a_year_takes_the_year_the_document_is_dated_by() -> None:
    text = (
        "# We lost the database\n\nBy Ann Lee · July 22, 2026\n\n"
        "On Sunday, July 19, the app was down. If you logged in between 10:52 AM and "
        "2:41 PM Pacific Time, you saw a blank page.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2026, 7, 19, 10, 52, tzinfo=tz(-7))
    assert result.duration_minutes == 229


def test_the_window_stated_first_wins_over_a_later_range_about_one_step() -> None:
    text = (
        "# Rate limits rejected good traffic\n\n"
        "On 18 November 2026, starting at 11:20 UTC, requests were rejected. Most traffic "
        "flowed again by 14:30 UTC, and by 17:06 UTC every system was back to normal.\n\n"
        "## What took so long\n\nUndoing rules by hand is most of the time between 14:30 "
        "and 17:06.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2026, 11, 18, 11, 20, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 11, 18, 17, 6, tzinfo=UTC)


def test_an_email_takes_its_subject_as_title_without_status_tags() -> None:
    text = (
        "From: Support <support@example.com>\nTo: customers@example.com\n"
        "Date: Mon, 5 Oct 2026 19:02:11 +0900\n"
        "Subject: [Resolved] Name resolution failures at our DNS provider\n\n"
        "Dear customer,\n\nDATE AND TIME\n-------------\n\n10:12 to 12:47 JST\n"
    )
    assert parse_postmortem(text, name="notice.txt").title == (
        "Name resolution failures at our DNS provider"
    )


def test_a_status_site_heading_is_not_the_incident_title() -> None:
    text = "# Acme Status\n\n## Messages delayed for some workspaces\n\n**Resolved**\n"
    assert parse_postmortem(text, name="pm.md").title == "Messages delayed for some workspaces"


def test_a_range_with_clock_words_and_an_approximate_end_on_the_next_day() -> None:
    text = "# DNS-Störung\n\n**Zeitraum:** 15.05.2026, 21:50 Uhr – 16.05.2026, ca. 02:00 Uhr\n"
    result = parse_postmortem(text, name="pm.md")
    # no zone is written, so the times stay without one (and the importer warns)
    assert result.started_at is not None
    assert result.ended_at is not None
    assert result.started_at.isoformat() == "2026-05-15T21:50:00"
    assert result.ended_at.isoformat() == "2026-05-16T02:00:00"
    assert result.duration_minutes == 250


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("at 09:00 Central European Time", 1),  # not US Central
        ("at 09:00 Central European Summer Time", 2),
        ("at 09:00 Pacific Daylight Time", -7),
        ("à 09:00 heure normale de l’Est", -5),
        ("à 09:00 heure du Pacifique", -8),
        ("pukul 09:00 Waktu Indonesia Barat", 7),
        ("о 09:00 за Києвом", 2),
    ],
)
def test_zones_spelled_out_in_words(text: str, offset: float) -> None:
    assert moments(text)[-1] == (time(9, 0), tz(offset))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("dne 5. května 2027", date(2027, 5, 5)),
        ("pe 5 ianuarie 2027", date(2027, 1, 5)),
        ("5. tammikuuta 2027", date(2027, 1, 5)),
        ("el 3 de gener de 2027", date(2027, 1, 3)),
        ("5 stycznia 2027 r.", date(2027, 1, 5)),
        ("5 січня 2027 року", date(2027, 1, 5)),
    ],
)
def test_month_names_in_more_languages(text: str, day: date) -> None:
    assert [m.day for m in find_moments(text, DateContext())] == [day]


def test_a_whole_hour_in_german_and_compound_duration_labels() -> None:
    assert [t.value for t in find_times("um 14 Uhr begann die Störung")] == [time(14, 0)]
    assert stated_duration("Störungsdauer: 2 Stunden") == 120
    assert stated_duration("| Doba trvání | 45 minut |") == 45


def test_an_example_line_in_a_template_gives_no_window() -> None:
    text = (
        "# Postmortem: <Incident title>\n\n## Summary\n\n*Write what happened.*\n\n"
        "EXAMPLE: Between 16:00 and 18:30 UTC on 2024-01-01, 3% of users saw errors.\n"
    )
    result = parse_postmortem(text, name="template.md")
    assert (result.started_at, result.ended_at, result.duration_minutes) == (None, None, None)


def test_status_page_updates_newest_first_give_first_post_to_resolved() -> None:
    text = (
        "# Widget Status\n\n## Uploads failing for some users\n\n"
        "**Resolved** - Uploads work again.\n*Posted Mar 09, 2027 - 12:14 PST*\n\n"
        "**Monitoring** - A fix is deployed.\n*Posted Mar 09, 2027 - 11:40 PST*\n\n"
        "**Investigating** - We see errors on uploads.\n*Posted Mar 09, 2027 - 09:30 PST*\n"
    )
    result = parse_postmortem(text, name="status.md")
    assert result.title == "Uploads failing for some users"
    assert result.started_at == datetime(2027, 3, 9, 9, 30, tzinfo=tz(-8))
    assert result.ended_at == datetime(2027, 3, 9, 12, 14, tzinfo=tz(-8))
    assert result.duration_minutes == 164


@pytest.mark.parametrize(
    ("sentence", "offset"),
    [
        ("El 12 de marzo de 2027, entre las 10:15 y las 11:45 (hora de Madrid), los pagos "
         "fallaron. La caída duró unos 90 minutos.", 1),
        ("Le 12 mars 2027, de 10 h 15 à 11 h 45 (heure de Paris), le portail était "
         "indisponible. L'incident a duré environ 1 h 30.", 1),
        ("2027年3月12日 10:15～11:45（JST）、決済が停止しました。", 9),
        ("2027년 3월 12일 오전 10시 15분부터 11시 45분까지 (KST) 결제가 중단되었습니다.", 9),
        ("2027年3月12日 10:15 至 11:45（北京时间），支付服务中断，共持续 90 分钟。", 8),
        ("12 марта 2027 года с 10:15 до 11:45 по московскому времени платежи не проходили.", 3),
        ("On March 12, 2027 from 10:15 a.m. to 11:45 a.m. EST, payments failed.", -5),
        ("Am 12.03.2027 zwischen 10:15 und 11:45 Uhr (MEZ) fiel der Checkout aus. Die "
         "Störung dauerte rund 90 Minuten.", 1),
        ("Op 12 maart 2027 tussen 10:15 en 11:45 (CET) lag iDEAL eruit.", 1),
        ("W dniu 12 marca 2027 r. w godzinach 10:15–11:45 (CET) płatności nie działały.", 1),
        ("Ngày 12 tháng 3 năm 2027, từ 10:15 đến 11:45 (giờ Việt Nam), thanh toán bị lỗi.", 7),
        ("Pada 12 Maret 2027 pukul 10.15 – 11.45 WIB, pembayaran gagal.", 7),
        ("12 Mart 2027 tarihinde 10:15 ile 11:45 arasında (TSİ) ödeme alınamadı.", 3),
        ("Il 12 marzo 2027 tra le 10:15 e le 11:45 (ora italiana) i pagamenti non "
         "funzionavano.", 1),
        ("Em 12 de março de 2027, das 10h15 às 11h45 (horário de Brasília), o Pix ficou "
         "fora.", -3),
    ],
)  # fmt: skip
def test_one_window_sentence_in_many_languages(sentence: str, offset: float) -> None:
    result = parse_postmortem(f"# Payments outage\n\n{sentence}\n", name="pm.md")
    assert result.started_at == datetime(2027, 3, 12, 10, 15, tzinfo=tz(offset))
    assert result.ended_at == datetime(2027, 3, 12, 11, 45, tzinfo=tz(offset))
    assert result.duration_minutes == 90


@pytest.mark.parametrize(
    ("document", "offset"),
    [
        ("# Caída de pagos\n\n| Campo | Valor |\n|---|---|\n| Inicio | 12/03/2027 10:15 CET |\n"
         "| Fin | 12/03/2027 11:45 CET |\n| Duración | 1 h 30 min |\n\n## Resumen\n\n"
         "Los pagos con tarjeta fallaron para todos los clientes de la tienda.\n", 1),
        ("# Panne du portail\n\n- **Début :** 12/03/2027 à 10 h 15 (HNE)\n"
         "- **Fin :** 12/03/2027 à 11 h 45 (HNE)\n- **Durée :** 1 h 30\n", -5),
        ("# Falha no Pix\n\n| Início | 12/03/2027 10:15 (BRT) |\n|---|---|\n"
         "| Fim | 12/03/2027 11:45 (BRT) |\n| Duração | 1h30 |\n", -3),
        ("# Ausfall Checkout\n\n**Beginn:** 12.03.2027, 10:15 Uhr\n"
         "**Ende:** 12.03.2027, 11:45 Uhr\n**Dauer:** 90 Minuten\n\nAlle Zeitangaben in MEZ.\n", 1),
        ("# Сбой платежей\n\n**Начало:** 12.03.2027 10:15 МСК\n"
         "**Окончание:** 12.03.2027 11:45 МСК\n**Длительность:** 1 ч 30 мин\n", 3),
    ],
)  # fmt: skip
def test_header_fields_with_day_first_dates_in_other_languages(
    document: str, offset: float
) -> None:
    result = parse_postmortem(document, name="pm.md")
    assert result.started_at == datetime(2027, 3, 12, 10, 15, tzinfo=tz(offset))
    assert result.ended_at == datetime(2027, 3, 12, 11, 45, tzinfo=tz(offset))
    assert result.duration_minutes == 90


@pytest.mark.parametrize(
    "document",
    [
        "# Storing betalingen\n\nDatum: 12-03-2027. Alle tijden in CET.\n\n## Tijdlijn\n\n"
        "- 10:05 Uitrol van versie 2.3\n- 10:15 Eerste foutmeldingen bij het afrekenen\n"
        "- 10:40 Rollback gestart\n- 11:45 Storing verholpen, alles werkt weer\n",
        "# Caída de pagos\n\nFecha: 12/03/2027 (hora de Madrid)\n\n## Cronología\n\n"
        "- 10:05 Despliegue de la versión 2.3\n- 10:15 Primeros errores en el pago\n"
        "- 10:40 Inicio del rollback\n- 11:45 Servicio restablecido\n",
        "# Awaria płatności\n\nData: 12.03.2027, wszystkie godziny w CET.\n\n## Przebieg\n\n"
        "- 10:05 Wdrożenie wersji 2.3\n- 10:15 Pierwsze błędy płatności\n"
        "- 10:40 Rozpoczęto rollback\n- 11:45 Usługa przywrócona, incydent zamknięty\n",
    ],
)
def test_a_timeline_starts_at_the_first_error_not_the_deploy_before_it(document: str) -> None:
    result = parse_postmortem(document, name="pm.md")
    assert result.started_at == datetime(2027, 3, 12, 10, 15, tzinfo=tz(1))
    assert result.ended_at == datetime(2027, 3, 12, 11, 45, tzinfo=tz(1))


def test_a_recovery_entry_naming_the_error_is_not_the_start() -> None:
    text = (
        "# API outage on 12 March 2027\n\nAll times are in Pacific Time.\n\n## Timeline\n\n"
        "- 10:05 Deploy of v2.3\n- 10:15 API starts returning 500s\n"
        "- 10:40 Rollback started\n- 11:45 Error rate back to normal\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2027, 3, 12, 10, 15, tzinfo=tz(-8))
    assert result.ended_at == datetime(2027, 3, 12, 11, 45, tzinfo=tz(-8))


@pytest.mark.parametrize(
    ("text", "day"),
    [("2027.03.12 10:15 KST", date(2027, 3, 12)), ("2027. 3. 12. 10:15", date(2027, 3, 12))],
)
def test_dotted_year_first_dates(text: str, day: date) -> None:
    assert [m.day for m in find_moments(text, DateContext())] == [day]


def test_a_dotted_version_number_is_not_a_date() -> None:
    assert find_moments("upgraded to version 1.2027.03.12 today", DateContext()) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "On 12 March 2027 the outage began at 10:15 UTC and was resolved at 11:45 UTC.",
        "Il 12 marzo 2027 il problema è iniziato alle 10:15 (CET) ed è stato risolto alle 11:45.",
        "Am 12. März 2027 begann der Ausfall um 10:15 Uhr MEZ und wurde um 11:45 Uhr behoben.",
        "12 marca 2027 r. awaria rozpoczęła się o 10:15 CET, a usunięto ją o 11:45 CET.",
        "Pada 12 Maret 2027 gangguan mulai pukul 10:15 WIB dan pulih pukul 11:45 WIB.",
        "12 березня 2027 року збій почався о 10:15 за київським часом, сервіс відновлено об 11:45.",
        "Dne 12. března 2027 začal výpadek v 10:15 SEČ a služba byla obnovena v 11:45.",
        "Le 12 mars 2027, la panne a commencé à 10:15 (CET) et le service a été rétabli à 11:45.",
        "El 12 de marzo de 2027 la caída comenzó a las 10:15 (CET) y se resolvió a las 11:45.",
    ],
)
def test_a_window_told_with_start_and_end_verbs_in_many_languages(sentence: str) -> None:
    result = parse_postmortem(f"# Outage\n\n{sentence}\n", name="pm.md")
    assert result.started_at is not None
    assert result.started_at.replace(tzinfo=None).isoformat() == "2027-03-12T10:15:00"
    assert result.duration_minutes == 90


def test_timeline_entries_marked_as_impact_start_and_end_give_the_window() -> None:
    text = (
        "# Notifications delayed on 14 October 2026\n\n## Timeline\n\nAll times UTC.\n\n"
        "- **18:02** Deploy of fanout 7.4 completes.\n"
        "- **18:15** Rebalances begin; lag climbing. *(impact start)*\n"
        "- **19:31** Rollback complete.\n"
        "- **19:49** Backlog drained. *(impact end)*\n"
        "- **20:10** Incident resolved.\n"
    )
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2026, 10, 14, 18, 15, tzinfo=UTC)
    assert result.ended_at == datetime(2026, 10, 14, 19, 49, tzinfo=UTC)
