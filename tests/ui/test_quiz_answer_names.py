"""An answer's accessible name after the verdict: the answer, then the verdict, as two sentences
whatever mark ends the answer (no "sure.. Wrong answer" read out as a stutter)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.learning.quiz_view import AnswerButton


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("I am very sure.", "I am very sure. Wrong answer"),
        ("I am very sure...", "I am very sure... Wrong answer"),
        ("Never!", "Never! Wrong answer"),
        ("Really?", "Really? Wrong answer"),
        ("هل أنت متأكد؟", "هل أنت متأكد؟ Wrong answer"),
        ("آیا مطمئن هستید؟", "آیا مطمئن هستید؟ Wrong answer"),
        ("とても確かです。", "とても確かです。 Wrong answer"),
        ("He said “yes.”", "He said “yes.” Wrong answer"),
        ("Berlin", "Berlin. Wrong answer"),
        ("Berlin  ", "Berlin. Wrong answer"),
    ],
)
def test_the_verdict_follows_the_answer_as_its_own_sentence(
    qtbot: QtBot, answer: str, name: str
) -> None:
    button = AnswerButton(answer)
    qtbot.addWidget(button)
    button.show_verdict(False, "Wrong answer")
    assert button.accessibleName() == name
    assert ".." not in button.accessibleName().replace("...", "")
    button.clear_verdict()
    assert button.accessibleName() == answer
