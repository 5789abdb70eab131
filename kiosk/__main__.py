"""`python -m kiosk` runs the command-line interface."""

from kiosk.cli import main

raise SystemExit(main())
