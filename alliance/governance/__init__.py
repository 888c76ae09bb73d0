"""Governance: ballots of a working group's voting seats and of the member
organizations, weighted by tier."""
