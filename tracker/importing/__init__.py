"""The one import use case: read sources, store a parsed post-mortem, report what changed.

The CLI, the dashboard and the scheduler all import through here."""
