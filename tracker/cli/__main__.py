"""`python -m tracker.cli`: the same entry point as the `capa-tracker` script."""

from tracker.cli import run

run()
