"""Widgets for the review app. They display what screens give them; none opens the database."""
