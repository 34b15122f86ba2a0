"""The `reglint` command (`python -m reglint` is the same).

Imports build many long-lived objects and almost no garbage cycles, yet the cyclic
collector would walk them again and again while they load: about a tenth of a
pre-commit run. It runs rarely from here on; run.py freezes what the imports built.
"""

import gc

gc.set_threshold(50_000, 20, 100)

from reglint.cli import main  # after the collector is tuned

if __name__ == "__main__":
    main()
