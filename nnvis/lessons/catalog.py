"""The catalogue of lessons. Qt-free: the CLI and the tests use it headless."""
from __future__ import annotations

from dataclasses import dataclass, field

from nnvis.core import ConfigError


@dataclass(frozen=True)
class Lesson:
    id: str
    title: dict            # {"en": ..., "zh": ...}
    config: dict           # a partial config (merged over the defaults)
    text: dict = field(default_factory=dict)   # {"en": html, "zh": html}
    panels: tuple = ()     # panel ids to bring forward


LESSONS: dict[str, Lesson] = {
    "default": Lesson(
        id="default",
        title={"en": "Spiral, three tanh layers", "zh": "螺旋数据,三层 tanh"},
        config={"data": {"name": "spiral"}, "model": {"hidden": [16, 16, 16], "activation": "tanh"}},
    ),
}


def preset_config(lesson_id: str) -> dict:
    try:
        return LESSONS[lesson_id].config
    except KeyError:
        raise ConfigError("preset", f"unknown preset {lesson_id!r} (known: "
                                    f"{', '.join(sorted(LESSONS))})") from None
