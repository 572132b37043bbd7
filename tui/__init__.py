"""The terminal dashboard (Textual). Built by `tui.app.create_app`; nothing runs at import."""
