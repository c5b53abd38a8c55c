"""Demo mode's pages (404 unless demo mode is on): views in routes.py."""
