"""The status page behind every application's QR code: views in routes.py."""
