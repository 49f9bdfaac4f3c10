"""Reports: the statistics report as Markdown, HTML, JSON, CSV, FastChat JSONL and Rich tables."""
