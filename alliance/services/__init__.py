"""Every write of the alliance domain, one module per subdomain."""
