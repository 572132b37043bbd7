"""The incident window of small teams' posts: a date in the title, front matter or file name
gives the day for weekday-led or bare times; a year missing from the text comes from the post."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from tracker.postmortem import parse_postmortem
from tracker.postmortem.dates import on_or_after, weekday_number


def test_weekday_led_times_count_from_the_date_in_the_title() -> None:
    text = """# 2025-11-08 Build farm stalled

## Timeline (UTC)

* Sat 03:15 - queue stops draining
* Sat 09:00 - someone retries a build
* Sun 14:45 - workers restarted, builds green again

## Follow-ups

1. Alert when the queue stops draining
"""
    result = parse_postmortem(text, name="notes.md")
    assert result.started_at == datetime(2025, 11, 8, 3, 15, tzinfo=UTC)
    assert result.ended_at == datetime(2025, 11, 9, 14, 45, tzinfo=UTC)
    assert result.duration_minutes == 35 * 60 + 30


def test_a_yearless_day_in_the_opening_takes_the_year_of_the_front_matter() -> None:
    text = """---
title: Printing broken on Tuesday
date: 2024-10-09 10:00:00 +0200
---

On **Tuesday, October 8th**, nobody could print between 10:05 and 11:20 (CEST).

## What we will do

- Monitor the print queue
"""
    result = parse_postmortem(text, name="post.md")
    cest = timezone(timedelta(hours=2))
    assert result.started_at == datetime(2024, 10, 8, 10, 5, tzinfo=cest)
    assert result.ended_at == datetime(2024, 10, 8, 11, 20, tzinfo=cest)


def test_weekday_arithmetic_counts_forward_from_a_known_day() -> None:
    saturday = date(2025, 11, 8)
    assert on_or_after(saturday, weekday_number("Sat") or 0) == saturday
    assert on_or_after(saturday, weekday_number("Sunday") or 0) == date(2025, 11, 9)
    assert on_or_after(saturday, weekday_number("Montag") or 0) == date(2025, 11, 10)
    assert weekday_number("sábado") == 5


def test_a_mail_about_saturday_dates_the_incident_before_the_day_it_was_sent() -> None:
    text = """From: Ops <ops@example.org>
Subject: [club] Why the booking site was down on Saturday
Date: Tue, 10 Mar 2026 09:00:00 +0100

Hi all,

From 10:15 to 12:05 CET the booking site returned errors.

Next time we will test the upgrade first.
"""
    result = parse_postmortem(text, name="mail.txt")
    cet = timezone(timedelta(hours=1))
    assert result.started_at == datetime(2026, 3, 7, 10, 15, tzinfo=cet)
    assert result.ended_at == datetime(2026, 3, 7, 12, 5, tzinfo=cet)


def test_a_yearless_day_in_the_title_is_the_incident_day_not_the_publication_day() -> None:
    text = """---
title: "Mirror outage on 4 May"
date: 2025-05-06
---

## Timeline

- **01:10** disk array reports errors, downloads fail
- **06:30** array rebuilt, downloads work again
"""
    result = parse_postmortem(text, name="post.md")
    assert result.started_at == datetime(2025, 5, 4, 1, 10)  # noqa: DTZ001 - no zone written
    assert result.ended_at == datetime(2025, 5, 4, 6, 30)  # noqa: DTZ001


def test_an_issue_number_is_not_a_server_error() -> None:
    text = """# Broken release 1.2.0

Published 1.2.0 on 2025-09-01 without its data files.

## Timeline (UTC)

- 09:00 1.2.0 published
- 09:40 issue #503 reports an import error
- 11:00 1.2.1 published with the files
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2025, 9, 1, 9, 40, tzinfo=UTC)


def test_a_totals_sentence_after_the_timeline_states_the_duration() -> None:
    text = """# Forum outage on 2025-04-02

## Timeline (UTC)

- 2025-04-02 20:00 database disk full, forum down
- 2025-04-04 10:20 disk replaced, forum up again

In total the forum was unavailable for about 38 hours.
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.duration_minutes == 38 * 60


def test_a_discussion_that_took_minutes_is_not_the_outage() -> None:
    text = """# Outage on 2025-04-02

From 10:00 to 11:30 UTC the API returned errors.

## Next time

- agree on a rollback rule so we do not discuss it for 25 minutes again
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.duration_minutes == 90


def test_saturday_the_4th_is_counted_back_from_the_publication_date() -> None:
    text = """---
title: About the game server reset
date: 2025-10-06
---

### What happened

Saturday the 4th at 9:10pm the server crashed and the map was lost.
It was back at 11:40pm after we restored the backup.
"""
    result = parse_postmortem(text, name="post.md")
    assert result.started_on == date(2025, 10, 4)


def test_hora_peninsular_is_spanish_mainland_time() -> None:
    text = """# Caída del correo el 2025-01-14

El correo no funcionó entre las 8:10 y las 9:25 (hora peninsular).
"""
    result = parse_postmortem(text, name="pm.md")
    cet = timezone(timedelta(hours=1))
    assert result.started_at == datetime(2025, 1, 14, 8, 10, tzinfo=cet)


def test_a_hung_filesystem_is_where_the_outage_starts() -> None:
    text = """# Storage outage on 2025-03-05

## Timeline (UTC)

- 14:00 nfs01 reboots, /home hangs on every login node
- 14:30 first tickets
- 15:00 failover fails
- 18:00 mounts back
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2025, 3, 5, 14, 0, tzinfo=UTC)


def test_a_title_day_takes_its_year_from_the_slug() -> None:
    text = """---
title: "Relay down on March 7"
slug: 2025-03-relay-down
---

## Timeline

- Fri 21:00 UTC relay stops forwarding
- Sat 02:30 UTC relay forwarding again
"""
    result = parse_postmortem(text, name="index.mdx")
    assert result.started_at == datetime(2025, 3, 7, 21, 0, tzinfo=UTC)
    assert result.ended_at == datetime(2025, 3, 8, 2, 30, tzinfo=UTC)


def test_a_second_table_labelled_utc_is_read_in_utc() -> None:
    text = """# Feed outage on 2025-06-13

## Timeline

Times in EDT:

| Time | Event |
|---|---|
| 9:00 PM | feed fails |
| 11:00 PM | feed restored |

Times in UTC:

| Time | Event |
|---|---|
| 01:00 | feed fails |
| 03:00 | feed restored |
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2025, 6, 14, 1, 0, tzinfo=UTC)
    assert result.duration_minutes == 120
    assert [e.at for e in result.timeline][:2] == [e.at for e in result.timeline][2:]


def test_a_window_from_one_weekday_to_the_next() -> None:
    text = """# 2025-11-08 Package builds stuck

**Window:** Saturday ~03:00 until Monday 09:15 (UTC)
"""
    result = parse_postmortem(text, name="pm.md")
    assert result.started_at == datetime(2025, 11, 8, 3, 0, tzinfo=UTC)
    assert result.ended_at == datetime(2025, 11, 10, 9, 15, tzinfo=UTC)


def test_a_german_window_names_the_weekday_of_its_end() -> None:
    text = """**Störung des Mailservers**

Stand: 20.10.2025

vom Freitag, 17. Oktober, ca. 20:00 Uhr bis Samstag, 18. Oktober, 09:30 Uhr (MESZ)
war der Mailserver nicht erreichbar.
"""
    result = parse_postmortem(text, name="bericht.md")
    cest = timezone(timedelta(hours=2))
    assert result.started_at == datetime(2025, 10, 17, 20, 0, tzinfo=cest)
    assert result.ended_at == datetime(2025, 10, 18, 9, 30, tzinfo=cest)


def test_a_bold_opening_line_is_the_title_when_there_are_no_headings() -> None:
    text = """**Outage report: club website unreachable**

Status: 2025-09-15

From 2025-09-13 10:00 to 2025-09-13 12:00 UTC the website was down.

**What we change**

- Renew the certificate automatically
"""
    result = parse_postmortem(text, name="report.md")
    assert result.title == "Outage report: club website unreachable"


def test_a_word_that_starts_like_a_weekday_is_not_one() -> None:
    assert weekday_number("Thurs") == 3
    text = """# 2025-11-08 Backup failure

## Timeline (UTC)

- 03:00 backup job fails
- monitoring 12:00 check shows the failed job
- 13:00 backup re-run, green again
"""
    result = parse_postmortem(text, name="pm.md")
    assert all(e.at is None or e.at.date() == date(2025, 11, 8) for e in result.timeline)


def test_hugo_toml_front_matter_gives_title_and_year_and_is_not_read_as_text() -> None:
    text = """+++
title = "Shared runner lost its cache volume"
date = 2025-06-21T18:00:00+02:00
author = "Mika (admin)"
tags = ["ci", "postmortem"]
+++

On Saturday the cache volume of the shared runner filled up and builds failed until the
afternoon.

## What we will change

- Add a disk usage alert for the runner's cache volume
"""
    result = parse_postmortem(text, name="index.md")
    assert result.title == "Shared runner lost its cache volume"
    assert result.started_on == date(2025, 6, 21)  # "Saturday" counted from the post's date
    assert [m.title for m in result.measures] == [
        "Add a disk usage alert for the runner's cache volume"
    ]
    assert not any("author" in m.title for m in result.measures)


def test_since_yesterday_in_a_post_puts_the_start_the_day_before_it_was_published() -> None:
    text = """---
title: Mirror sync stopped
date: 2025-06-14 10:00:00 +0800
---

从昨天起，镜像站的同步任务全部失败。我们之后会增加新的硬盘。
"""
    result = parse_postmortem(text, name="2025-06-14-mirror.md")

    assert result.started_on == date(2025, 6, 13)
