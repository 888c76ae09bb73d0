"""Working groups: membership with roles and voting seats, join requests and
invitations, updates, minutes, decisions and action items."""
