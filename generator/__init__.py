"""Gongkai: a static-site publisher for government-affairs openness (政务公开)."""

__version__ = "0.1.0"
