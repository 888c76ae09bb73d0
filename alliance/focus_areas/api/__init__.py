"""The focus areas in the API."""
