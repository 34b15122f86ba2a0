"""The `reglint` command (`python -m reglint` is the same).

Imports build many long-lived objects and almost no garbage cycles, yet the cyclic
collector would walk them again and again while they load (docs/measurements.md). It
runs rarely from here on; engine/check_command.py freezes what the imports built.
"""

import gc

from reglint import GC_THRESHOLDS

gc.set_threshold(*GC_THRESHOLDS)

from reglint.cli import main  # after the collector is tuned

if __name__ == "__main__":
    main()
