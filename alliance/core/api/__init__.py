"""API plumbing shared by every app: the error format, pagination, fields."""
