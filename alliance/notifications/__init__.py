"""Notifications: activities fanned out to the people who follow their object,
subscriptions, preferences, digests, and the email outbox that sends each mail
once (SMTP transport in ``transport.py``)."""
