"""The housing waiting list's use cases (SPEC §2)."""
