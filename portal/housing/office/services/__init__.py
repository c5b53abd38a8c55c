"""The housing office's use cases: decisions, and signing them with ЭЦП."""
