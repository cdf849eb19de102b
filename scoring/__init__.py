"""Pure computation of the annual 14-prefecture ranking from an evaluation bundle (issue #6).

This package never imports Flask or the database.
"""
