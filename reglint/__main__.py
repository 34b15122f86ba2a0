"""`python -m reglint` is the same as the `reglint` command."""

from reglint.cli import main

if __name__ == "__main__":
    main()
