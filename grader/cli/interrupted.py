"""Interrupted: Ctrl-C or a signal stopped a run; its message says what the output folder holds."""


class Interrupted(Exception):
    """Ctrl-C or a signal stopped the run; the message says what the output folder holds."""
