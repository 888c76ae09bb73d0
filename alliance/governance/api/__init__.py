"""The governance API: /api/v1/ballots/."""
