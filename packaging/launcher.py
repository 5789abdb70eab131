"""Entry point of the frozen kiosk: the same command line as `kiosk` from a source install."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
