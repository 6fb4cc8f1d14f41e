"""The version, in one place: pyproject.toml reads it from here (no import-time metadata lookup)."""
__version__ = "0.1.0"
