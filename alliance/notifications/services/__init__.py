"""Every write of notifications, one module per concern: activities and their
fan-out, subscriptions, preferences, digests, emails, the outbox and the sweep."""
