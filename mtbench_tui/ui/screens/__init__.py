"""Screens of the review app, one per file, each owning its key bindings."""
