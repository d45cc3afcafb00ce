"""Lesson presets: each one a config plus an explanation (English and Simplified Chinese)."""
from .catalog import LESSONS, PANELS, Lesson, preset_config

__all__ = ["LESSONS", "PANELS", "Lesson", "preset_config"]
