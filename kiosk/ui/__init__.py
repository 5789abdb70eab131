"""Everything Qt: the shell (main window), one folder per feature, shared parts and the theme."""
