"""What the UI reads from a course: texts through the fallback chain, and safe rich text."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.courses import (
    BulletList,
    Paragraph,
    QuizOption,
    StepText,
    inline_html,
    load_package,
    resolve_language,
    step_text,
)


def test_step_text_walks_the_fallback_chain_and_says_which_language_it_used(
    package: Path,
) -> None:
    course = load_package(package).course
    assert course is not None
    chain = ("en", "de")
    text, used = step_text(course.step("what-is"), "fa", chain)
    assert (used, text.title) == ("en", "What is a video call?")
    text, used = step_text(course.step("which"), "fa", chain)  # not translated into English
    assert (used, text.title) == ("de", "Welche Geräte haben eine Kamera?")
    text, used = step_text(course.step("what-is"), "de", chain)
    assert used == "de"
    # Without any usable fallback the main language still answers.
    assert step_text(course.step("which"), "fa", ())[1] == "de"
    assert step_text(course.step("what-is"), "ar", ("uk",))[1] == "de"


def test_title_and_description_fall_back_too(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    assert course.title_in("fa", ("en", "de")) == "تماس تصویری با خانواده"
    assert course.title_in("uk", ("en", "de")) == "Video calls with the family"
    assert course.title_in("uk") == "Videoanrufe mit der Familie"
    assert course.description_in("tr", ("en",)).startswith("Learn how")
    assert resolve_language(course.titles, "uk", ("tr", "fa", "en")) == "fa"
    assert resolve_language(course.titles, "uk", ("tr",)) is None


def test_step_lookup(package: Path) -> None:
    course = load_package(package).course
    assert course is not None
    assert course.step_index("need") == 2
    try:
        course.step("gone")
    except KeyError as error:
        assert error.args == ("gone",)
    else:  # pragma: no cover
        raise AssertionError("expected KeyError")


def test_inline_html_escapes_everything_but_bold() -> None:
    assert inline_html("Ein **wichtiges** Wort") == "Ein <b>wichtiges</b> Wort"
    assert inline_html("<script>alert(1)</script> & <b>x</b>") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;"
    )
    assert inline_html("**<i>bold</i>**") == "<b>&lt;i&gt;bold&lt;/i&gt;</b>"
    assert inline_html("2 ** 3 and **a**") == "2 <b> 3 and </b>a**"
    assert inline_html("unmatched ** stays") == "unmatched ** stays"
    assert inline_html('"quotes" stay') == '"quotes" stay'


def test_body_html_has_paragraphs_and_lists_only() -> None:
    text = StepText(
        "Title <1>",
        blocks=(Paragraph("Hello **you** & me"), BulletList(("one <two>", "**three**"))),
        hint="Tip: <no html>",
    )
    assert text.body_html() == (
        "<p>Hello <b>you</b> &amp; me</p><ul><li>one &lt;two&gt;</li><li><b>three</b></li></ul>"
    )
    assert text.title_html() == "Title &lt;1&gt;"
    assert text.hint_html() == "Tip: &lt;no html&gt;"
    assert StepText("t").hint_html() == ""
    option = QuizOption("**Yes** <3", True, "Right & good")
    assert (option.text_html(), option.feedback_html()) == ("<b>Yes</b> &lt;3", "Right &amp; good")
