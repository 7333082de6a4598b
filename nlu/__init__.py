"""Albanian/English understanding; imports nothing from ``bot``."""
