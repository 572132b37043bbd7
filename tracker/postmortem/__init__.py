"""Post-mortem documents -> ParsedPostmortem (pure: no database, no network)."""
