"""Domain logic without Qt: sessions, staff access, languages and everything visitors do."""
