"""A person's own notifications, subscriptions and preferences in the API."""
