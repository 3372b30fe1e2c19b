"""Grade de-escalation course answer files against YAML answer keys."""

__version__ = "0.1.0"
