"""Monitoring-point feedback (测评点反馈): the points' own links, reporting periods, reminders,
hotlines and the ``feedback.csv`` bundle file.  The pages live in ``views``."""
