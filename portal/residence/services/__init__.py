"""Residence registration's use cases: the application, its submission, the owners' consent."""
