"""What a chapter's kernel uses: numbers for the prose, charts, chart forms, theme, tables."""
