"""Reports: the statistics report rendered as Markdown, HTML, JSON, CSV, FastChat JSONL and Rich tables."""
