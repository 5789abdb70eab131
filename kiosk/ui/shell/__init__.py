"""The frame around the features: main window, headers, idle wipe, welcome, staff login."""
