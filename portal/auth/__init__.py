"""Citizen sign-in (SMS code; ЭЦП in portal.ecp.routes): views in routes.py."""
