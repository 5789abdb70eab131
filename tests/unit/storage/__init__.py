"""Tests of kiosk.storage against real temporary SQLite files."""
