"""The read side: action lists and filters, details, statistics, dashboard pages, reports."""
