"""The platform every context and app builds on: dispatching tasks after commit,
Markdown, the local mail backend, middleware, the page context, health checks, the
site's own pages (home, dashboard), API plumbing, template tags and the shared
toolkit."""
