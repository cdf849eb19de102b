"""investenv: the application shell.

It holds what every domain stands on (configuration, database, accounts and permissions, the
registry of prefectures and enterprises, audit, uploads and downloads) and what assembles them
(the app factory in :mod:`investenv.app`, the CLI, migrations, the demo).  The domains
(``survey``, ``complaints``, ``feedback``, ``spotchecks``, ``evaluation``) are sibling packages;
``scoring`` is pure computation.  See docs/architecture.md.
"""
