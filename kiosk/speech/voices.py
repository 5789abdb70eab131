"""Which espeak-ng voice speaks each kiosk language, and the one-line report of voices here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Kiosk language code -> espeak-ng voice name. Leichte Sprache is German read by the German
# voice at the normal speed (its texts are short already; the visitor can choose "Slower").
# "en" is espeak-ng's British English voice.
VOICE_FOR_LANGUAGE: dict[str, str] = {
    "de": "de",
    "de-x-ls": "de",
    "en": "en",
    "uk": "uk",
    "ar": "ar",
    "ru": "ru",
    "tr": "tr",
    "fa": "fa",
}


def voice_name(language: str) -> str | None:
    """The espeak-ng voice for a kiosk language, or None when the kiosk knows none."""
    return VOICE_FOR_LANGUAGE.get(language)


def languages_with_voice(installed_voices: Iterable[str]) -> frozenset[str]:
    """Kiosk languages whose voice is among the installed espeak-ng voice languages."""
    installed = set(installed_voices)
    return frozenset(code for code, voice in VOICE_FOR_LANGUAGE.items() if voice in installed)


def voice_report(languages: Sequence[str], with_voice: frozenset[str] | None) -> str:
    """One line for `kiosk check` and staff: which of `languages` can be read aloud here.

    `with_voice` is None when no speech engine could be loaded at all.
    """
    if with_voice is None:
        return (
            "Speech: no speech engine on this terminal (install espeak-ng); nothing is read aloud"
        )
    have = [code for code in languages if code in with_voice]
    missing = [code for code in languages if code not in with_voice]
    line = "Speech: voices for " + (", ".join(have) if have else "no language")
    if missing:
        line += "; none for " + ", ".join(missing)
    return line
