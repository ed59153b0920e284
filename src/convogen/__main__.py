"""``python -m convogen``."""

from convogen.cli import main

main()
