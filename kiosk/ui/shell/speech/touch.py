"""Touch exploration, as phones' screen readers do it: a touch says what is under the finger and
gives it the focus; a double tap anywhere chooses what was said last.

While it is on, an application event filter takes every press on the visitor window before the
widget under the finger sees it, so a touch never triggers anything by itself. The site logo
keeps its own presses (its long hold is the staff gesture), and so does the staff PIN pad.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.ui.shell.long_press import LogoButton
from kiosk.ui.shell.speech.reading import Utterance, describe

# A second tap this soon after the first finger lifted makes a double tap (phones use 300 to
# 500 ms; older hands need the longer end).
DOUBLE_TAP_MS = 400
MOUSE_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
    }
)
_TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
# What a double tap chooses by its own means; any other element gets a tap where it was touched.
_CHOOSABLE = (QAbstractButton, QComboBox, *_TEXT_FIELDS)


def element_at(widget: QWidget, gettext: Callable[[str], str]) -> tuple[QWidget, Utterance] | None:
    """The element a touch on `widget` means, and what it says: the button or field around the
    touched spot if there is one (a label inside a button is the button), else the nearest
    widget outwards that says anything; None on empty space."""
    candidate: QWidget | None = widget
    while candidate is not None and not candidate.isWindow():
        if isinstance(candidate, _CHOOSABLE):
            said = describe(candidate, gettext)
            return (candidate, said) if said is not None else None
        candidate = candidate.parentWidget()
    candidate = widget
    while candidate is not None and not candidate.isWindow():
        said = describe(candidate, gettext)
        if said is not None:
            return candidate, said
        candidate = candidate.parentWidget()
    return None


class TouchExplorer(QObject):
    """The event filter of speech mode on one window; `install` and `remove` turn it on and off."""

    def __init__(
        self,
        window: QWidget,
        *,
        speak: Callable[[Utterance], None],
        gettext: Callable[[str], str],
        passes: Callable[[QWidget], bool],
        activity: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        """`speak` says an element's utterance; `passes(widget)` is True where presses must reach
        the widget as usual (staff screens); `activity` tells the idle timer someone is there
        (the presses taken here never reach its own event filter)."""
        super().__init__(parent)
        self._window = window
        self._speak = speak
        self._gettext = gettext
        self._passes = passes
        self._activity = activity
        self._installed = False
        self._sending = False  # a synthesized click on its way: let it through
        self._since_lift = QElapsedTimer()
        self._down = False  # a press was taken here: its release ends a tap
        self._chosen: QWidget | None = None
        self._chosen_at = QPoint()  # where it was touched, in its own coordinates

    @property
    def last_spoken(self) -> QWidget | None:
        """The element a double tap would choose now."""
        return self._chosen

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._chosen = None
        self._down = False
        self._since_lift.invalidate()

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._chosen = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._sending
            or event.type() not in MOUSE_EVENTS
            or not isinstance(watched, QWidget)
            or not isinstance(event, QMouseEvent)
            or watched.window() is not self._window
            or self._passes(watched)
            or _on_logo(watched)
        ):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseMove and event.buttons() == Qt.MouseButton.NoButton:
            return False  # a mouse hovering: nothing was touched
        self._activity()
        event.accept()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._down = True
            self._pressed(watched, event.position())
        elif kind == QEvent.Type.MouseButtonRelease and self._down:
            # (The lift of the hold that started speech mode is no tap.)
            self._down = False
            self._since_lift.start()
        return True

    def _pressed(self, widget: QWidget, position: QPointF) -> None:
        if self._since_lift.isValid() and self._since_lift.elapsed() <= DOUBLE_TAP_MS:
            self._since_lift.invalidate()  # a third tap starts over
            self.activate()
            return
        self.explore(widget, position.toPoint())

    def explore(self, widget: QWidget, position: QPoint) -> None:
        """Say what is at `position` of `widget` and focus it (without choosing it)."""
        found = element_at(widget, self._gettext)
        if found is None:
            return  # empty space: a double tap still chooses what was said before
        element, said = found
        self._chosen = element
        self._chosen_at = widget.mapTo(element, position) if element is not widget else position
        # Text fields get the focus only when chosen: focus opens the on-screen keyboard.
        focusable = bool(element.focusPolicy() & Qt.FocusPolicy.ClickFocus)
        if focusable and not isinstance(element, _TEXT_FIELDS):
            element.setFocus(Qt.FocusReason.TabFocusReason)  # the focus ring shows where
        self._speak(said)

    def activate(self) -> None:
        """Choose the element said last, as a tap on it would."""
        element = self._chosen
        if element is None or not element.isVisible() or not element.isEnabled():
            return
        if isinstance(element, QAbstractButton):
            element.click()  # check boxes and radio buttons toggle too
        elif isinstance(element, _TEXT_FIELDS):
            element.setFocus(Qt.FocusReason.MouseFocusReason)
        elif isinstance(element, QComboBox):
            element.showPopup()
        else:
            self._click(element, self._chosen_at)

    def _click(self, element: QWidget, at: QPoint) -> None:
        # A painted element (a time on the timeline, a day in the week grid) is chosen where it
        # was touched: its centre could be another of its parts.
        local = QPointF(at)
        global_at = QPointF(element.mapToGlobal(at))
        self._sending = True
        try:
            for kind, buttons in (
                (QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
            ):
                event = QMouseEvent(
                    kind,
                    local,
                    global_at,
                    Qt.MouseButton.LeftButton,
                    buttons,
                    Qt.KeyboardModifier.NoModifier,
                )
                QApplication.sendEvent(element, event)
        finally:
            self._sending = False


def _on_logo(widget: QWidget) -> bool:
    candidate: QWidget | None = widget
    while candidate is not None:
        if isinstance(candidate, LogoButton):
            return True
        candidate = candidate.parentWidget()
    return False
