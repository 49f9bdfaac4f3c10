"""The pure core: data models, loading, storage, statistics, judging, reports. Never imports Textual."""
