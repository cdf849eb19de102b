"""Staff accounts, login throttling and account administration.  Roles and permissions are in
:mod:`investenv.permissions`; the pages live in ``views``."""
