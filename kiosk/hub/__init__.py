"""The hub: one HTTP service over PostgreSQL for the city's terminals (the `hub` extra)."""
