"""The weekly staff report: sections registered by every app, built once a
week, emailed to staff and browsable in the admin."""
