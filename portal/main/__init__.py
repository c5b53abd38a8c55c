"""The home page, the personal account and the health check: views in routes.py."""
