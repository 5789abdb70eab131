"""libespeak-ng driven through ctypes: speaks on the sound device or renders WAV files.

espeak-ng is one engine per process (global state in the library), so this module keeps one
`_Library` and every backend shares it. It is loaded on the first use, never at import.

Word events report `text_position` 1-based and `length`, both counted in characters (code
points) of the decoded input even though the text is passed as UTF-8 bytes (measured with
espeak-ng 1.51: "Привет, как" gives the second word at 9, not at its byte offset 15);
`word_span` turns them into Python str indices.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import wave
from collections.abc import Callable
from pathlib import Path

from kiosk.speech.engine import NORMAL_RATE_WPM, VOLUME_LEVELS, SpeechUnavailable
from kiosk.speech.voices import languages_with_voice, voice_name

# speak_lib.h (API revision 12, espeak-ng 1.49 and later).
AUDIO_OUTPUT_PLAYBACK = 0
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000  # without it a failed start calls exit(1) in the library
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EVENT_MSG_TERMINATED = 6
POS_CHARACTER = 1
CHARS_UTF8 = 1
EE_OK = 0
PARAM_RATE = 1
PARAM_VOLUME = 2
BUFFER_MS = 200
SAMPLE_WIDTH_BYTES = 2  # espeak-ng renders 16-bit signed mono samples

WINDOWS_FOLDER = "eSpeak NG"
WINDOWS_DLL = "libespeak-ng.dll"
LINUX_SONAME = "libespeak-ng.so.1"


class _EventId(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8))


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


class _Voice(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, zero-terminated name)*, then a zero byte
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


def word_span(text: str, text_position: int, length: int) -> tuple[int, int]:
    """(start, length) in str indices of a word event's 1-based position and its length.

    espeak-ng counts both in decoded characters (code points) of the input, the unit of Python
    str indices; bytes of the UTF-8 input would be wrong for every non-Latin script.
    """
    start = min(max(text_position - 1, 0), len(text))
    end = min(start + max(length, 0), len(text))
    # A digit said alone comes with the space after it; the highlight ends at the word.
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end - start


def _library_candidates() -> list[str]:
    """Where the shared library may be, most specific first."""
    if sys.platform == "win32":
        folders = [os.environ.get(name) for name in ("ProgramFiles", "ProgramW6432")]
        found = [str(Path(f) / WINDOWS_FOLDER / WINDOWS_DLL) for f in folders if f]
        return [*found, WINDOWS_DLL]
    # The soname directly: ctypes.util.find_library runs ldconfig/gcc, slow and not needed.
    return [LINUX_SONAME]


def _installed_voice_languages(lib: ctypes.CDLL) -> set[str]:
    """Every language name of every installed voice ("de", "en-gb", "en", ...)."""
    voices = lib.espeak_ListVoices(None)
    names: set[str] = set()
    index = 0
    while voices and voices[index]:
        voice = voices[index].contents
        if voice.languages:
            pointer = voice.languages
            while ctypes.c_ubyte.from_address(pointer).value != 0:  # priority byte; 0 ends
                name = ctypes.string_at(pointer + 1)
                names.add(name.decode("ascii", "replace"))
                pointer += 1 + len(name) + 1
        index += 1
    return names


def _no_sound_output() -> str | None:
    """Why this Linux system has nowhere to play speech, or None when it has somewhere."""
    if sys.platform != "linux":
        return None  # Windows always has its audio service; pcaudiolib uses it
    if Path("/dev/snd").is_dir():
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and any((Path(runtime) / n).exists() for n in ("pulse/native", "pipewire-0")):
        return None
    return "no sound device (/dev/snd) and no PipeWire or PulseAudio server"


class _Library:
    """The process's one espeak-ng: opened once, initialised in one output mode at a time."""

    _instance: _Library | None = None
    _guard = threading.Lock()

    def __init__(self, lib: ctypes.CDLL, data_path: bytes | None) -> None:
        self.lib = lib
        self.data_path = data_path
        self.mode: int | None = None
        self.sample_rate = 0
        self.voice_languages: frozenset[str] = frozenset()
        # Serialises calls into the library from the UI thread (its own thread only calls back).
        self.lock = threading.RLock()

    @classmethod
    def get(cls, mode: int) -> _Library:
        with cls._guard:
            if cls._instance is None:
                cls._instance = cls._open()
            library = cls._instance
        library.initialise(mode)
        return library

    @classmethod
    def for_listing(cls) -> _Library:
        """The library as it is (a playing kiosk keeps playing), or started without sound."""
        with cls._guard:
            current = cls._instance
        if current is not None and current.mode is not None:
            return current
        return cls.get(AUDIO_OUTPUT_SYNCHRONOUS)

    @classmethod
    def _open(cls) -> _Library:
        errors: list[str] = []
        for candidate in _library_candidates():
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as error:
                errors.append(f"{candidate}: {error}")
                continue
            _declare(lib)
            # On Windows the voices (espeak-ng-data) are in the install folder next to the DLL.
            data = str(Path(candidate).parent).encode() if Path(candidate).is_absolute() else None
            return cls(lib, data)
        raise SpeechUnavailable("libespeak-ng not found (" + "; ".join(errors) + ")")

    def initialise(self, mode: int) -> None:
        with self.lock:
            if self.mode == mode:
                return
            rate = self.lib.espeak_Initialize(mode, BUFFER_MS, self.data_path, INITIALIZE_DONT_EXIT)
            if rate <= 0:
                raise SpeechUnavailable("espeak-ng could not start (voice data missing?)")
            self.mode = mode
            self.sample_rate = rate
            self.voice_languages = languages_with_voice(_installed_voice_languages(self.lib))


def _declare(lib: ctypes.CDLL) -> None:
    """Argument and result types, so ctypes passes sizes and pointers correctly."""
    lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = (_SynthCallback,)
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = (ctypes.c_char_p,)
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = (
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
    )  # fmt: skip
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Cancel.argtypes = ()
    lib.espeak_Cancel.restype = ctypes.c_int
    lib.espeak_ListVoices.argtypes = (ctypes.c_void_p,)
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))


class _Utterance:
    """One speak() call: its text, its callbacks and, for files, its samples."""

    def __init__(
        self,
        serial: int,
        text: str,
        on_word: Callable[[int, int], None],
        on_done: Callable[[], None],
    ) -> None:
        self.serial = serial
        self.text = text
        self.on_word = on_word
        self.on_done = on_done
        self.samples = bytearray()


class EspeakBackend:
    """The espeak-ng speech backend (implements kiosk.speech.engine.SpeechBackend)."""

    reports_words = True

    def __init__(self, library: _Library, wav_path: Path | None) -> None:
        self._library = library
        self._wav_path = wav_path
        self._rate = NORMAL_RATE_WPM
        self._volume = VOLUME_LEVELS[-1]
        self._serial = 0
        self._current: _Utterance | None = None
        # Guards only the swap of `_current` between the UI thread and espeak-ng's thread; never
        # held while calling into the library (espeak_Cancel waits for that thread).
        self._swap = threading.Lock()
        # Kept here for the life of the backend: the library holds only a raw pointer to it.
        self._callback = _SynthCallback(self._on_synth)

    @classmethod
    def open(cls) -> EspeakBackend:
        """Plays on the sound device (espeak-ng's own audio output); events come in step."""
        # Without any sound output espeak-ng drops the speech, and with it every word and end
        # event: the visitor would wait for a reading that never ends.
        missing = _no_sound_output()
        if missing:
            raise SpeechUnavailable(missing)
        return cls(_Library.get(AUDIO_OUTPUT_PLAYBACK), None)

    @classmethod
    def to_file(cls, path: Path) -> EspeakBackend:
        """Each speak() renders synchronously into a 16-bit mono WAV file at `path`."""
        return cls(_Library.get(AUDIO_OUTPUT_SYNCHRONOUS), path)

    @property
    def sample_rate(self) -> int:
        """Samples per second of the rendered speech."""
        return self._library.sample_rate

    def voice_languages(self) -> frozenset[str]:
        return self._library.voice_languages

    def speak(
        self,
        text: str,
        language: str,
        on_word: Callable[[int, int], None],
        on_done: Callable[[], None],
    ) -> None:
        voice = voice_name(language)
        if voice is None or language not in self._library.voice_languages:
            raise SpeechUnavailable(f"no voice for the language {language!r}")
        lib = self._library.lib
        with self._library.lock:
            self.stop()
            # The library was initialised for this backend's mode; another backend of the
            # other mode may have re-initialised it since (tests use both in one process).
            self._library.initialise(
                AUDIO_OUTPUT_SYNCHRONOUS if self._wav_path else AUDIO_OUTPUT_PLAYBACK
            )
            lib.espeak_SetSynthCallback(self._callback)
            if lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
                raise SpeechUnavailable(f"espeak-ng voice {voice!r} could not be loaded")
            lib.espeak_SetParameter(PARAM_RATE, self._rate, 0)
            lib.espeak_SetParameter(PARAM_VOLUME, self._volume, 0)
            self._serial += 1
            utterance = _Utterance(self._serial, text, on_word, on_done)
            with self._swap:
                self._current = utterance
            data = text.encode("utf-8") + b"\0"
            result = lib.espeak_Synth(
                data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8, None, utterance.serial
            )
        if result != EE_OK:
            self._take(utterance)
            raise SpeechUnavailable(f"espeak-ng could not speak (error {result})")
        if self._wav_path is not None:
            # Synchronous mode: espeak_Synth returned after the last callback.
            self._finish_file(utterance)

    def _take(self, utterance: _Utterance) -> bool:
        """Ends `utterance` if it is still the current one; False when it was stopped."""
        with self._swap:
            if self._current is not utterance:
                return False
            self._current = None
            return True

    def _finish_file(self, utterance: _Utterance) -> None:
        if self._wav_path is None or not self._take(utterance):
            return  # stopped from inside a callback: no file, no on_done
        with wave.open(str(self._wav_path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(SAMPLE_WIDTH_BYTES)
            wav.setframerate(self._library.sample_rate)
            wav.writeframes(bytes(utterance.samples))
        utterance.on_done()

    def stop(self) -> None:
        with self._swap:
            was = self._current
            self._current = None
        if was is not None and self._wav_path is None:
            with self._library.lock:
                self._library.lib.espeak_Cancel()

    def set_rate(self, words_per_minute: int) -> None:
        self._rate = words_per_minute

    def set_volume(self, percent: int) -> None:
        # espeak-ng's volume 100 is its normal full level (it goes to 200, distorting).
        self._volume = max(0, min(100, percent))

    def _on_synth(
        self,
        wav: ctypes._Pointer[ctypes.c_short],
        count: int,
        events: ctypes._Pointer[_Event],
    ) -> int:
        """Called by espeak-ng (its audio thread when playing); returns 1 to abort."""
        utterance = self._current
        index = 0
        while True:
            event = events[index]
            if event.type == EVENT_LIST_TERMINATED:
                break
            if utterance is None or event.user_data != utterance.serial:
                return 1  # an utterance that was stopped or replaced: report nothing more
            # espeak-ng also reports empty "words" at clause ends: nothing to highlight there.
            if event.type == EVENT_WORD:
                start, length = word_span(utterance.text, event.text_position, event.length)
                if length > 0:
                    utterance.on_word(start, length)
            elif (
                event.type == EVENT_MSG_TERMINATED
                and self._wav_path is None
                and self._take(utterance)
            ):
                utterance.on_done()
            index += 1
        if utterance is not None and self._current is utterance and wav and count > 0:
            utterance.samples += ctypes.string_at(wav, count * SAMPLE_WIDTH_BYTES)
        return 0 if self._current is utterance else 1


def voice_languages_here() -> frozenset[str]:
    """Kiosk languages with an installed voice; raises SpeechUnavailable without espeak-ng.

    Needs no sound device: `kiosk check` and the staff overview list voices on any terminal.
    """
    return _Library.for_listing().voice_languages
