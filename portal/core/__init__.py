"""The shared core: what every journey uses (applications and their life cycle, numbering,
signing, notices, status links, citizens and sessions, the web layer's helpers). It imports
no journey (.importlinter); a journey registers itself in services.catalogue."""
