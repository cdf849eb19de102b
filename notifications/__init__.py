"""Notifications: an outbox of e-mail, SMS and in-app messages written in the same transaction as
the event that causes them, and their delivery by ``investenv notify`` (docs/notifications.md)."""
