"""Pages of the members app, one module per area."""
