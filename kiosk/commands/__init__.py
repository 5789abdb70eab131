"""The `kiosk` commands, one module per verb group; kiosk.cli parses and picks the module."""
