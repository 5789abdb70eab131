"""Touch exploration, as phones' screen readers do it: a touch says what is under the finger and
gives it the focus; a double tap anywhere chooses what was said last; a swipe right or left moves
to the next or previous element in reading order, a swipe up or down turns the page; a focus
moved by the keyboard (Tab, Shift+Tab, arrows) says where it went.

While it is on, an application event filter takes every press on the visitor window before the
widget under the finger sees it, so a touch never triggers anything by itself. The site logo
keeps its own presses (its long hold is the staff gesture), and so does the staff PIN pad.
While the idle warning is shown, a touch only keeps the visit: it neither says nor chooses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.core.i18n import N_, Translator
from kiosk.ui.shell.long_press import LogoButton
from kiosk.ui.shell.speech import navigate
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
# A finger that moved this far is swiping, not touching: what the touch began to say stops.
SWIPE_START_PX = 32
# A swipe moves to the next element or page once it is this long (phones use 60 to 100 px).
SWIPE_PX = 80
PAGE = N_("Page {page} of {total}.")
FIRST = N_("Beginning of the screen.")
LAST = N_("End of the screen.")
_WATCHED = MOUSE_EVENTS | {QEvent.Type.KeyPress, QEvent.Type.FocusIn}
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
        window: QMainWindow,
        *,
        say: Callable[[list[Utterance]], None],
        translator: Translator,
        passes: Callable[[QWidget], bool],
        activity: Callable[[], None],
        warning: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        """`say` reads utterances (an empty list silences); `passes(widget)` is True where presses
        must reach the widget as usual (staff screens); `activity` tells the idle timer someone is
        there (the presses taken here never reach its own event filter); `warning` is True while
        the idle warning is shown."""
        super().__init__(parent)
        self._window = window
        self._say = say
        self._tr = translator
        self._passes = passes
        self._activity = activity
        self._warning = warning
        self._installed = False
        self._sending = False  # a synthesized click on its way: let it through
        self._focusing = False  # the focus moved here: said already
        self._keyed = False  # a key is being handled: a focus it moves is said
        self._kept = False  # the idle warning was just ended by the event being delivered
        self._since_lift = QElapsedTimer()
        self._down = False  # a press was taken here: its release ends a tap
        self._pressed_at = QPointF()  # where the finger went down (global)
        self._swiping = False
        self._before: tuple[QWidget | None, QPoint] = (None, QPoint())  # the choice before it
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
        self._down = self._swiping = False
        self._since_lift.invalidate()

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._chosen = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            self._sending
            or kind not in _WATCHED
            or not isinstance(watched, QWidget)
            or watched.window() is not self._window
        ):
            return False
        if kind == QEvent.Type.KeyPress:
            self._key_pressed()
            return False
        if kind == QEvent.Type.FocusIn:
            if self._keyed and not self._focusing and not self._passes(watched):
                self._focus_moved(watched)
            return False
        if (
            kind not in MOUSE_EVENTS
            or not isinstance(event, QMouseEvent)
            or self._passes(watched)
            or _on_logo(watched)
        ):
            return False
        if kind == QEvent.Type.MouseMove and event.buttons() == Qt.MouseButton.NoButton:
            return False  # a mouse hovering: nothing was touched
        event.accept()
        if kind == QEvent.Type.MouseButtonDblClick:
            return True  # Qt's echo of a second press, which was handled as a press already
        if kind == QEvent.Type.MouseButtonPress:
            # The idle timer's own filter may have seen this press first and ended the warning.
            warned = self._warning() or self._kept
            self._activity()
            self._down, self._swiping = True, False
            self._pressed_at = event.globalPosition()
            self._before = (self._chosen, self._chosen_at)
            if warned:
                # The touch that keeps the visit (the warning's voice says so): it says nothing
                # else, and the double tap asked for must not choose what was said before.
                self._chosen = None
                self._since_lift.invalidate()
            else:
                self._pressed(watched, event.position())
            return True
        self._activity()
        if kind == QEvent.Type.MouseMove and self._down:
            self._moved(event.globalPosition())
        elif kind == QEvent.Type.MouseButtonRelease and self._down:
            # (The lift of the hold that started speech mode is no tap.)
            self._down = False
            self._lifted(event.globalPosition())
        return True

    def _pressed(self, widget: QWidget, position: QPointF) -> None:
        if self._since_lift.isValid() and self._since_lift.elapsed() <= DOUBLE_TAP_MS:
            self._since_lift.invalidate()  # a third tap starts over
            self.activate()
            return
        self.explore(widget, position.toPoint())

    def _moved(self, at: QPointF) -> None:
        if not self._swiping and _distance(at - self._pressed_at) >= SWIPE_START_PX:
            self._swiping = True
            self._say([])  # a swipe is coming: the touch's words stop
            self._chosen, self._chosen_at = self._before  # and it moves from the element before

    def _lifted(self, at: QPointF) -> None:
        if not self._swiping:
            self._since_lift.start()
            return
        self._swiping = False
        self._since_lift.invalidate()  # a swipe is no first tap
        dx, dy = at.x() - self._pressed_at.x(), at.y() - self._pressed_at.y()
        if abs(dx) >= SWIPE_PX and abs(dx) >= abs(dy):
            self.move(+1 if dx > 0 else -1)
        elif abs(dy) >= SWIPE_PX:
            self.turn_page(forward=dy < 0)  # the finger pushes the page up: further down

    def explore(self, widget: QWidget, position: QPoint) -> None:
        """Say what is at `position` of `widget` and focus it (without choosing it)."""
        found = element_at(widget, self._tr.gettext)
        if found is None:
            return  # empty space: a double tap still chooses what was said before
        element, said = found
        self._chosen = element
        self._chosen_at = widget.mapTo(element, position) if element is not widget else position
        self._focus(element)
        self._say([said])

    def move(self, step: int) -> None:
        """Say and focus the next (`step` 1) or previous (-1) element in reading order, scrolled
        into view; at either end say so."""
        central = self._window.centralWidget()
        if central is None:
            return
        items = navigate.elements(central, self._tr.gettext)
        if not items:
            return
        target = navigate.target_of(items, self._chosen or QApplication.focusWidget(), step)
        if not 0 <= target < len(items):
            self._say([Utterance(self._tr.gettext(LAST if step > 0 else FIRST))])
            return
        self._reach(items[target])

    def turn_page(self, *, forward: bool) -> None:
        """Scroll the screen by most of its height and say which page it shows and what is first
        on it."""
        central = self._window.centralWidget()
        if central is None:
            return
        root = navigate.open_panel(central) or central
        area = navigate.page_area(root, self._chosen)
        if area is not None:
            navigate.turn_page(area, forward)
        page, total = navigate.page_position(area)
        number = self._tr.number
        where = Utterance(self._tr.gettext(PAGE).format(page=number(page), total=number(total)))
        first = None
        if area is not None:
            first = navigate.first_in_view(area, navigate.elements(central, self._tr.gettext))
        if first is None:
            self._say([where])
            return
        self._reach(first, before=[where])

    def _reach(self, said: Utterance, before: Sequence[Utterance] = ()) -> None:
        element = said.widget
        if element is None:
            return
        self._chosen, self._chosen_at = element, element.rect().center()
        self._focus(element)
        self._say([*before, said])  # reading it scrolls it into view

    def _focus(self, element: QWidget) -> None:
        # Text fields get the focus only when chosen: focus opens the on-screen keyboard.
        focusable = bool(element.focusPolicy() & Qt.FocusPolicy.ClickFocus)
        if focusable and not isinstance(element, _TEXT_FIELDS):
            self._focusing = True
            try:
                element.setFocus(Qt.FocusReason.TabFocusReason)  # the focus ring shows where
            finally:
                self._focusing = False

    def visit_kept(self) -> None:
        """The idle warning ended (the window's idle timer says so): the touch that ended it, if
        one did, keeps the visit and nothing more."""
        if not self._kept:
            self._kept = True
            QTimer.singleShot(0, self._kept_handled)

    def _kept_handled(self) -> None:
        self._kept = False

    def _key_pressed(self) -> None:
        # Focus moves while the key is handled; the mark goes with the next turn of the loop.
        if not self._keyed:
            self._keyed = True
            QTimer.singleShot(0, self._key_handled)

    def _key_handled(self) -> None:
        self._keyed = False

    def _focus_moved(self, widget: QWidget) -> None:
        said = describe(widget, self._tr.gettext)
        if said is None:
            return  # a page or a container: its elements speak when reached
        self._chosen, self._chosen_at = widget, widget.rect().center()
        self._say([said])

    def activate(self) -> None:
        """Choose the element said last, as a tap on it would."""
        element = self._chosen
        if element is None or not element.isVisible() or not element.isEnabled():
            return
        # What was said of it is done with; and "Read aloud", chosen while its own name is still
        # being said, reads the screen rather than stopping.
        self._say([])
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


def _distance(delta: QPointF) -> float:
    return math.hypot(delta.x(), delta.y())


def _on_logo(widget: QWidget) -> bool:
    candidate: QWidget | None = widget
    while candidate is not None:
        if isinstance(candidate, LogoButton):
            return True
        candidate = candidate.parentWidget()
    return False
