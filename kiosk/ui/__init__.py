"""Everything Qt: the main window, its screens, widgets and the theme."""
