"""Stage 5, the clerks' and maintainers' tools: `gongkai new` (scaffold), the form editor and its server,
the live preview (serve), CODEOWNERS, adding an office to a county, and docs/fields.md (fielddocs).
Nothing below imports them; cli/, above, is the only place that prints."""
