"""The alliance's six focus areas: their pages, API and translations."""
