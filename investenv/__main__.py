"""``python -m investenv``: the ``investenv`` command."""
from investenv.cli import main

main()
