"""The Chinese wording: one term per concept in the UI and the lessons, no stray spaces
around a filled-in name, no English left in the divergence banner, no label repeated in
brackets where the English one used to be."""
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nnvis.app import i18n
from nnvis.lessons import LESSONS

TS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "nnvis_zh_CN.ts"


def translations():
    """[(context, source, Chinese)] of the .ts."""
    return [(ctx.findtext("name"), msg.findtext("source"), msg.findtext("translation") or "")
            for ctx in ET.parse(TS).getroot().iter("context") for msg in ctx.iter("message")]


def chinese_texts():
    """Every Chinese text a user reads: the UI's translations and the lessons."""
    out = [(f"{ctx}: {source!r}", text) for ctx, source, text in translations()]
    for lesson in LESSONS.values():
        out.append((f"lesson {lesson.id}", lesson.title["zh"] + "\n" + lesson.text["zh"]))
        labels = [lesson.compare_label.get("zh", "")] + \
            [v["label"]["zh"] for v in lesson.variants]
        out += [(f"lesson {lesson.id} button", label) for label in labels]
    return out


# Another word for a concept the UI already names: (pattern, the one term).
OTHER_WORDS = [
    (r"圆形", "the circle data set is 圆环"),
    (r"合页", "the hinge loss is hinge"),
    (r"逐渐遗忘", "the notes' 逐步遗忘"),
    (r"单元", "a unit is a 神经元"),
    (r"反向\s*(（inverted）)?\s*[Dd]ropout", "inverted dropout is 倒置 dropout"),
    (r"缩小约?\s*[\d.–]+\s*倍", "缩小为 1/N (缩小 N 倍 reads either way)"),
]


@pytest.mark.parametrize("pattern,term", OTHER_WORDS)
def test_one_term_per_concept(pattern, term):
    hits = [where for where, text in chinese_texts() if re.search(pattern, text)]
    assert not hits, f"use {term}: {hits[:5]}"


def test_the_optimiser_and_its_coefficient_and_the_clipping_threshold_are_named_apart():
    by_source = {(ctx, src): text for ctx, src, text in translations()}
    assert by_source[("Choices", "momentum")] == "动量"
    assert by_source[("ControlsPanel", "Momentum")] == "动量系数"
    assert by_source[("ControlsPanel", "Clip norm")] == "梯度裁剪阈值"


def test_the_dropout_lesson_names_inverted_dropout_at_first_use():
    text = LESSONS["dropout"].text["zh"]
    assert "<i>倒置 dropout</i>（inverted dropout）" in text


def test_no_space_around_a_translation_that_its_source_does_not_have():
    stray = [(src, text) for _ctx, src, text in translations()
             if src == src.strip() and text != text.strip()]
    assert not stray, stray


def test_no_label_is_repeated_in_brackets_and_no_english_panel_name_is_left():
    from nnvis.app.dock_layout import DOCK_TITLES
    english = {title.replace("&", "&amp;") for title in DOCK_TITLES.values()}
    for lesson in LESSONS.values():
        text = lesson.text["zh"]
        assert not re.search(r"<b>([^<]+)</b>（\1）", text), lesson.id
        brackets = set(re.findall(r"（([^）]*)）", text))
        assert not brackets & english, (lesson.id, brackets & english)


@pytest.mark.parametrize("quantity,layer", [("logits", "output"), ("activations", "hidden2"),
                                            ("gradient of hidden1.W", "hidden1"),
                                            ("loss", "output")])
def test_the_divergence_banner_names_the_layer_in_chinese(qtbot, quantity, layer):
    from nnvis.app.banner import Banner
    banner = Banner()
    qtbot.addWidget(banner)
    report = {"step": 18, "layer": layer, "quantity": quantity, "restored_step": 10,
              "lr": 1.0, "message": "English"}
    try:
        i18n.set_language("zh_CN")
        html = banner.divergence_html(report)
    finally:
        i18n.set_language("en")
    plain = re.sub(r"<[^>]*>", "", html)
    latin = set(re.findall(r"[A-Za-z]{3,}", plain.replace("hidden1.W", "")))
    assert latin <= {"logits", "NaN"}, plain
    assert " 的梯度" not in plain.replace("hidden1.W 的梯度", "")
    if quantity == "loss":       # the loss belongs to no layer
        assert "“" not in plain and plain.count("损失") == 1, plain
    else:
        assert ("输出" in plain) == (layer == "output"), plain
    english = banner.divergence_html(report)
    assert "became non-finite" in english and ("in layer" in english) == (quantity != "loss")
