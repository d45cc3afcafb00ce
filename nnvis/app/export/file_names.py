"""File names that say what and when: ``gradient-flow_step-1500.svg``."""
from __future__ import annotations


def proposed_name(what: str, step: int | None, ext: str, scale: int = 1) -> str:
    """``loss_step-1500.png``, ``loss_step-1500@2x.png``; without a step just ``loss.png``."""
    when = "" if step is None else f"_step-{int(step)}"
    return f"{what}{when}{'@%dx' % scale if scale != 1 else ''}.{ext}"
