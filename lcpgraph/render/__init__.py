"""Rendering: the interactive map, the report site and its charts (kept apart from analysis)."""
