"""Judging: prompts, verdict parsing and the async runner."""
