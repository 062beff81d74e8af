"""Reminders beyond the tab: Web Push subscriptions, e-mail, and the record of each delivery."""
