"""Every write of the events app, one module per subdomain."""
