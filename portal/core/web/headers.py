"""The headers every response carries: the content policy and the browser's other protections."""

from __future__ import annotations

from flask import current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def security_headers(response):
    """Every response: the content policy and the browser's other protections."""
    connect = current_app.config.get("CSP_CONNECT_SRC")  # NCALayer, only where ЭЦП is on
    wanted = [
        ("Content-Security-Policy", f"{CSP}; connect-src 'self' {connect}" if connect else CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if current_app.config["SESSION_COOKIE_SECURE"]:
        wanted.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    if request.endpoint != "static":
        # Pages carry personal data and one-time forms: never from a shared cache.
        wanted.append(("Cache-Control", "no-store"))
    # What a view set itself stays (one pass over the headers, not one per name).
    present = {key.lower() for key in response.headers.keys()}
    for key, value in wanted:
        if key.lower() not in present:
            response.headers.add(key, value)
    return response
