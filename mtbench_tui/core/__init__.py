"""The pure core: models, loading, storage, statistics, judging, reports. Never imports Textual."""
