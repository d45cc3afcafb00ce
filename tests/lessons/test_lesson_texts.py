"""The lesson texts only name buttons, panels and controls the app really has.

A student follows the text literally ("press Flip the switch: ReLU + He init", "tick
Residual: h = f(x) + x"), so every bold name must be a label on screen — in the language the
text is shown in (the lessons follow the app's language). The English labels are harvested
from the app's source (every string literal under nnvis/app), the Chinese ones from the
translation (resources/i18n/nnvis_zh_CN.ts), so a renamed control fails here instead of
leaving a lesson that points at nothing.
"""
import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nnvis.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "nnvis" / "app"
TS = ROOT / "resources" / "i18n" / "nnvis_zh_CN.ts"
BOLD = re.compile(r"<b>(.*?)</b>", re.S)

# Bold words that are the texts' own headings or emphasis, not labels on screen.
PROSE = {
    "en": {"Look at", "Change", "Why", "Why it works", "Why the fixes work",
           "What vanished, where and why.", "no hidden layer", "ReLU", "tanh",
           "Residual connection", "Init scale 0.01", "Init scale 1.0"},
    "zh": {"看", "改", "为什么", "为什么能学会", "为什么这些办法有效", "消失的是什么、在哪里、为什么。",
           "没有隐藏层", "ReLU", "tanh", "批归一化", "残差连接", "Init scale 0.01", "Init scale 1.0"},
}
# The Chinese texts name panels in Chinese, then give the on-screen English title.
PANELS_ZH = {"网络", "损失与准确率", "数据与预测", "梯度流", "控制", "激活函数", "权重与梯度",
             "反向传播"}


def _app_strings() -> set[str]:
    out = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value.replace("&&", "&").strip())  # Qt shows "&&" as "&"
    return out


def _translations() -> dict[str, str]:
    """English source -> Chinese, of the lessons panel's own messages first."""
    out = {}
    for ctx in ET.parse(TS).getroot().iter("context"):
        for msg in ctx.iter("message"):
            src, text = msg.findtext("source"), msg.findtext("translation") or ""
            if ctx.findtext("name") == "LessonsPanel" or src not in out:
                out[src] = text
    return out


ZH = _translations()
SCREEN = {"en": _app_strings(), "zh": {t.replace("&&", "&").strip() for t in ZH.values()}}
SOURCES = {"flip": "Flip the switch: {0}", "compare": "Compare side by side: {0}",
           "try": "Also try:", "xor": "Load the notes' hand-made XOR solution"}
UI = {"en": SOURCES, "zh": {k: ZH[v] for k, v in SOURCES.items()}}


def _on_screen(name: str, lang: str) -> bool:
    """A label, or the start of one ("Apply & rebuild" of "Apply & rebuild (new weights)")."""
    name = name.lstrip("▶⟲ ")
    return any(s == name or s.startswith(name + " ") or s.startswith(name + ":")
               or s.startswith(name + "（") for s in SCREEN[lang])


def _colon(text: str) -> str:
    return text.replace("\uff1a", ":")  # the zh texts use the full-width colon


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_every_bold_name_is_on_screen(lesson_id, lang):
    lesson = LESSONS[lesson_id]
    ui = UI[lang]
    buttons = {v["label"][lang] for v in lesson.variants + lesson.views} | \
        {ui["xor"], ui["try"].rstrip(":：")}
    if lesson.compare:
        buttons |= {_colon(ui["flip"].format(lesson.compare_label[lang]))}
        buttons |= {_colon(ui[key].split("{")[0]).strip().rstrip(":") for key in ("flip", "compare")}
    unknown = []
    for raw in BOLD.findall(lesson.text[lang]):
        name = " ".join(raw.replace("&amp;", "&").split())
        if name in PROSE[lang] or _colon(name) in buttons or name in PANELS_ZH:
            continue
        if not _on_screen(name, lang):
            unknown.append(name)
    assert not unknown, f"{lesson_id} ({lang}) names what the app does not show: {unknown}"


def test_the_xor_lesson_names_its_hand_made_solution_button():
    for lang in ("en", "zh"):
        assert f"<b>{UI[lang]['xor']}</b>" in LESSONS["xor"].text[lang].replace("&amp;", "&")
