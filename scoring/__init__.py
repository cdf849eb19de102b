"""Pure computation of the annual 14-prefecture ranking from an evaluation bundle.

This package never imports Flask or the database.
"""
