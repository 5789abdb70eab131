"""Run-time hook of the bundle, run before all others: the cyclic garbage collector pauses while
the interpreter, PySide6 and the kiosk load.

At that time it would run dozens of times over the growing heap and find next to nothing: what
is made then lasts as long as the program. `kiosk.cli.main` resumes it, at the first frame for
`kiosk run` (as in a source install) and at once for every other command.
"""

import gc

gc.disable()
