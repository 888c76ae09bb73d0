"""The working groups in the API."""
