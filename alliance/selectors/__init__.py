"""Every non-trivial read of the alliance domain, one module per subdomain."""
