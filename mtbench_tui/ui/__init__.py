"""The Textual UI: a thin layer over the core."""
