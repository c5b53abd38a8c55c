"""The kiosk profile for self-service zones in ЦОН halls (blueprint; the screens come later)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)
