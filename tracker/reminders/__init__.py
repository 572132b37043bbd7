"""Reminders: a pure planner, delivery channels, an idempotent sender, and the use case.

planner.py   which reminders are due and who hears what (pure)
workdays.py  holidays: the `holidays` package's country/region calendar plus configured dates
loader.py    the actions the planner looks at, read from the database
render.py    how a digest reads (pure)
channels/    e-mail, chat webhook, Jira comment (client injected by the roots), log
sender.py    records, claims, delivers and marks: never the same reminder twice
run.py       one pass (`remind`, the scheduler's job): plan, then deliver, then report

See docs/reminders.md for the rules and tracker/reminders/sender.py for the delivery guarantees.
"""
