"""``python -m zorgeval``: the ``zorgeval`` console command (see :mod:`zorgeval.cli`)."""

from zorgeval.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
