"""Use cases: each function is one transaction (it commits), and never touches Flask's request."""
