"""Reusable widgets: keyboard, PIN pad, language bar and friends."""
