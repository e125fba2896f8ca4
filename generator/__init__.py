"""Gongkai: a static-site publisher for government-affairs openness (政务公开)."""

__version__ = "0.5.0"  # the package's version (pyproject.toml reads it); each release has its entry in CHANGELOG.md
