"""The header's "Read aloud": the screen's texts in reading order through the real Voice (a
recording engine), the spoken word marked, codes spelled, and stopping on navigation, a language
switch and the wipe; the speech settings and high contrast reset at the wipe."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk import resources
from kiosk.app import KioskApp
from kiosk.config import SiteConfig, load_config
from kiosk.core.bookings import BookingService, device_policies, site_calendar
from kiosk.core.session import EndReason
from kiosk.speech.engine import DEFAULT_VOLUME_INDEX, NORMAL_RATE_WPM, SLOW_RATE_WPM
from kiosk.ui import theme
from kiosk.ui.bookings.screen import BookingScreen, Page
from kiosk.ui.shell.screens import Screen
from kiosk.ui.shell.speech.reading import describe
from tests.ui.running_app import shown_kiosk
from tests.ui.speech_fake import RecordingBackend

TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def engine() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def kiosk(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, engine: RecordingBackend
) -> Iterator[KioskApp]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = load_config(resources.DEMO_CONFIG)
    with shown_kiosk(qtbot, site, data_dir, speech_backend=lambda: engine) as app:
        yield app
        app.window.access.reader.stop()


def read_all(qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend) -> list[str]:
    """Tap "Read aloud" and let the engine finish each utterance; what it was asked to say."""
    before = len(engine.calls)
    qtbot.mouseClick(kiosk.window.header.read_aloud, LEFT)
    reader = kiosk.window.access.reader
    for _ in range(200):
        if not reader.reading:
            break
        said = len(engine.calls)
        engine.finish()
        qtbot.waitUntil(lambda: len(engine.calls) > said or not reader.reading)  # noqa: B023
    assert not reader.reading
    return engine.texts[before:]


def test_home_is_read_in_reading_order(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    header = window.header
    assert header.read_aloud.text() == "Read aloud" and header.read_aloud.height() >= 48
    qtbot.mouseClick(header.read_aloud, LEFT)
    assert header.read_aloud.text() == "Stop reading" and header.speech_row.isVisible()
    assert engine.calls[0] == ("What would you like to do?", "en")
    window.access.reader.stop()
    texts = read_all(qtbot, kiosk, engine)
    assert texts == [
        "What would you like to do?",
        "Learn something. Short lessons at your own pace",
        "Try a device. Book a slot to try a tablet, a VR headset and more",
        "I have a code",
        "Continue a course, or see or cancel your booking.",
    ]
    assert header.read_aloud.text() == "Read aloud" and not header.speech_row.isVisible()


def test_a_lesson_step_is_read_with_its_picture_description(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    window.open_course(next(iter(window.catalogue)).id)
    lesson = window.lesson
    texts = read_all(qtbot, kiosk, engine)
    body = texts.index(next(t for t in texts if t.startswith("A chatbot is a program")))
    assert texts[:2] == [lesson._course_title.text(), "Step 1 of 12"]
    assert texts.index(lesson.step_title.text()) < body
    # The picture says its description, after the words (the page's order).
    assert texts.index(lesson.image.accessibleName()) == body + 1
    assert "More below" not in texts  # the scroll cue is not content
    assert texts[-1] == "Next"


def quiz_step(kiosk: KioskApp) -> None:
    lesson = kiosk.window.lesson
    for _ in range(40):
        if lesson.waits_for_answer():
            return
        lesson.go_next()
    raise AssertionError("the first course has no quiz")


def test_a_quiz_after_an_answer_reads_the_choice_its_verdict_and_feedback(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    window.open_course(next(iter(window.catalogue)).id)
    quiz_step(kiosk)
    panel = window.lesson.quiz
    quiz = panel._quiz
    assert quiz is not None
    wrong = next(i for i, option in enumerate(quiz.options) if not option.correct)
    qtbot.mouseClick(panel.buttons[wrong], LEFT)
    qtbot.mouseClick(window.lesson.check, LEFT)
    texts = read_all(qtbot, kiosk, engine)
    answer = panel.buttons[wrong].label.text()
    said = texts.index(next(t for t in texts if t.startswith(answer)))
    assert texts[said] in (f"{answer}. chosen. Wrong answer", f"{answer} chosen. Wrong answer")
    # Then that answer's explanation, then the verdict (no ✗ said: the words say it).
    assert texts[said + 1] == panel.feedback[wrong].text()
    assert texts[said + 2] == "Not quite. Read the explanation and try again."


@pytest.fixture
def service(kiosk: KioskApp) -> BookingService:
    site: SiteConfig = kiosk.window._config
    storage = kiosk.desk.storage
    assert storage is not None
    bookings = BookingService(
        storage.bookings,
        device_policies(site),
        site_calendar(site),
        storage.settings,
        clock=lambda: TUESDAY_9AM,
        no_show_minutes=site.bookings.no_show_minutes,
        purge_days=site.bookings.purge_days,
    )
    kiosk.window.attach_bookings(bookings)
    return bookings


def test_the_booked_page_reads_device_time_and_spells_the_code(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend, service: BookingService
) -> None:
    window = kiosk.window
    window.start_session("en")
    qtbot.mouseClick(window.home.try_device, LEFT)
    screen = window.screen_widget(Screen.TRY_DEVICE)
    assert isinstance(screen, BookingScreen)
    card = screen.list_page.cards["tablet-1"]
    screen.list_page._scroll.ensureWidgetVisible(card.buttons[0])
    qtbot.mouseClick(card.buttons[0], LEFT)
    screen.confirm_page.name.setText("Anna")
    screen.confirm_page.confirm()
    assert screen.page is Page.BOOKED
    page = screen.booked_page
    code = page.code_label.text()
    texts = read_all(qtbot, kiosk, engine)
    caption = texts.index("Your booking code:")
    assert texts.index(page.what.text()) < texts.index(page.when.text()) < caption
    # "K7M-4PX" is said "K 7 M, 4 P X": each character apart, a pause at the dash.
    first, second = code.split("-")
    assert texts[caption + 1] == f"{' '.join(first)}, {' '.join(second)}"


@pytest.mark.parametrize(
    ("language", "second_word"), [("en", "would"), ("ar", "تريد")], ids=["en", "ar"]
)
def test_the_spoken_word_is_marked_in_its_label(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend, language: str, second_word: str
) -> None:
    window = kiosk.window
    window.start_session(language)
    title = window.home.findChild(QLabel, "title")
    assert title is not None
    shown = title.text()
    qtbot.mouseClick(window.header.read_aloud, LEFT)
    assert engine.words()
    engine.report_word(1)
    qtbot.waitUntil(lambda: "<span" in title.text())
    marked = title.text().split("<span", 1)[1].split(">", 1)[1].split("</span>", 1)[0]
    assert marked == shown.split()[1]
    if language == "en":
        assert marked == second_word
    assert title.textFormat() == Qt.TextFormat.RichText
    engine.finish()  # on to the next utterance: the title is as it was
    qtbot.waitUntil(lambda: title.text() == shown)
    assert title.textFormat() == Qt.TextFormat.PlainText
    # A button is framed while it is read.
    frame = window.access.reader.highlight.frame
    assert frame is not None and frame.parentWidget() is window.home.learn


def test_without_word_positions_the_whole_utterance_is_marked(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = RecordingBackend(reports_words=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = load_config(resources.DEMO_CONFIG)
    with shown_kiosk(qtbot, site, data_dir, speech_backend=lambda: engine) as app:
        app.window.start_session("en")
        title = app.window.home.findChild(QLabel, "title")
        assert title is not None
        app.window.access.read_aloud_tapped()
        assert "<span" in title.text()
        assert "What would you like to do?</span>" in title.text()
        app.window.access.reader.stop()


@pytest.mark.parametrize("how", ["navigation", "language", "wipe", "tap again"])
def test_reading_stops_at_once(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend, how: str
) -> None:
    window = kiosk.window
    window.start_session("en")
    title = window.home.findChild(QLabel, "title")
    assert title is not None
    shown = title.text()
    qtbot.mouseClick(window.header.read_aloud, LEFT)
    engine.report_word(0)
    qtbot.waitUntil(lambda: "<span" in title.text())
    stops = engine.stops
    if how == "navigation":
        window.show_screen(Screen.LEARN)
    elif how == "language":
        window.set_language("de")
    elif how == "wipe":
        window.end_session(EndReason.IDLE)
    else:
        qtbot.mouseClick(window.header.read_aloud, LEFT)
    assert not window.access.reader.reading
    assert engine.stops > stops and not engine.speaking
    assert "<span" not in title.text()
    if how in ("navigation", "tap again"):
        assert title.text() == shown  # (the others show it in another language now)
    # Nothing more is said: a late end of the stopped utterance reads nothing further.
    said = len(engine.calls)
    engine.finish()
    qtbot.wait(20)
    assert len(engine.calls) == said


def test_speech_settings_and_contrast_reset_at_the_wipe(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    header = window.header
    qtbot.mouseClick(header.read_aloud, LEFT)
    qtbot.mouseClick(header.slower, LEFT)
    qtbot.mouseClick(header.volume, LEFT)
    assert engine.rate == SLOW_RATE_WPM and engine.volume == 50
    assert header.volume.text() == "Volume: quiet"
    qtbot.mouseClick(header.contrast, LEFT)
    assert window.access.contrast.high
    window.end_session(EndReason.IDLE)
    voice = window.access.voice
    assert not voice.slow and voice.volume_index == DEFAULT_VOLUME_INDEX
    assert engine.rate == NORMAL_RATE_WPM and engine.volume == 100
    assert not window.access.contrast.high
    assert not header.slower.isChecked() and not header.contrast.isChecked()
    window.start_session("en")  # (the wipe returned to the site's language)
    assert header.volume.text() == "Volume: loud"


def test_a_terminal_without_speech_says_so(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    site = load_config(resources.DEMO_CONFIG)
    with shown_kiosk(qtbot, site, data_dir, speech_backend=lambda: None) as app:
        app.window.start_session("en")
        header = app.window.header
        app.window.access.read_aloud_tapped()
        assert not app.window.access.reader.reading
        assert header.speech_notice.text() == "Reading aloud is not available on this terminal."
        assert header.read_aloud.text() == "Read aloud"


def icon_colours(button: QPushButton) -> set[str]:
    """The colours of the opaque pixels of a button's icon."""
    image = button.icon().pixmap(QSize(24, 24)).toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }


def test_the_header_icons_show_on_their_buttons_in_high_contrast(
    qtbot: QtBot, kiosk: KioskApp, engine: RecordingBackend
) -> None:
    window = kiosk.window
    window.start_session("en")
    header = window.header
    qtbot.mouseClick(header.contrast, LEFT)
    qtbot.mouseClick(header.read_aloud, LEFT)
    palette = theme.colours()
    assert window.access.contrast.high and palette.primary != palette.on_primary
    # Both buttons are filled with the primary colour now: their icons take the text colour.
    for button in (header.contrast, header.read_aloud):
        assert icon_colours(button) == {palette.on_primary.lower()}, button.objectName()
    qtbot.mouseClick(header.contrast, LEFT)  # off again: an outlined button, a primary icon
    assert icon_colours(header.contrast) == {theme.colours().primary.lower()}


def test_a_button_that_shows_only_a_sign_says_what_it_does(kiosk: KioskApp) -> None:
    """A− and A+ show signs and the contrast switch a symbol: touched in speech mode or read, each
    says its name ("Smaller text"), not "A"; a button with words says its words."""
    window = kiosk.window
    window.start_session("en")
    header = window.header
    said = {
        button: utterance.text if (utterance := describe(button)) else None
        for button in (header.smaller, header.larger, header.contrast, header.read_aloud)
    }
    assert said[header.smaller] == "Smaller text"
    assert said[header.larger] == "Larger text"
    assert said[header.contrast] == header.contrast.accessibleName() != ""
    assert said[header.read_aloud] == "Read aloud"
