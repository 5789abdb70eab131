"""Numbered SQL migrations of the hub (package data)."""
