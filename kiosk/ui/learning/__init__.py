"""Learning modules for visitors: the course catalogue, the lesson player and resume codes."""
