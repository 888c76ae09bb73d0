"""Every write to the catalog: entries, their teams, vetting."""
