"""A good course package written into a folder, and small tools to break one thing in it."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.courses import check_courses

SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<!-- drawn for the tests -->\n"
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/>'
    b"</svg>\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32

MANIFEST = """\
id = "video-calls"
version = 1
category = "communication"
duration_minutes = 15
level = "beginner"
tags = ["video", "family"]
device_kinds = ["tablet", "smartphone"]
cover = "images/cover.svg"
languages = ["de", "en"]

[title]
de = "Videoanrufe mit der Familie"
en = "Video calls with the family"
fa = "تماس تصویری با خانواده"

[description]
de = "Sie lernen, wie ein Videoanruf mit der Familie geht."
en = "Learn how to make a video call with your family."
fa = "یاد بگیرید چگونه با خانواده تماس تصویری بگیرید."
"""

# Line numbers matter: the tests name them. The German file defines the steps.
DE = """\
# Videoanrufe mit der Familie

## explain what-is: Was ist ein Videoanruf?
Bei einem Videoanruf sehen und hören Sie Ihre **Familie**.

Sie brauchen:

- ein Gerät mit **Kamera**
- Internet

![Ein Tablet zeigt ein lachendes Gesicht](images/call.svg)

## try open-app: Öffnen Sie die App
Tippen Sie auf das grüne Symbol
mit der Kamera.

> Tipp: Die App heißt oft „Telefon“.

## quiz need: Was brauchen Sie für einen Videoanruf?
- (x) Ein Gerät mit Kamera und Internet
  > Richtig: Die Kamera zeigt Sie.
- ( ) Einen Drucker
  > Nein: Einen Drucker brauchen Sie nicht.

## quiz which: Welche Geräte haben eine Kamera?
Es können mehrere Antworten richtig sein.

- [x] Tablet
  > Richtig.
- [x] Smartphone
  > Richtig.
- [ ] Radio
  > Nein: Ein Radio hat keine Kamera.

## summary done: Das haben Sie gelernt
- Ein Videoanruf zeigt Bild und Ton.
- Sie brauchen Kamera und Internet.
"""

# The English file leaves out the step 'which' (it falls back to German).
EN = """\
# Video calls with the family

## explain what-is: What is a video call?
In a video call you see and hear your **family**.

You need:

- a device with a **camera**
- internet

![A tablet shows a smiling face](images/call.svg)

## try open-app: Open the app
Tap the green symbol with the camera.

> Tip: The app is often called "Phone".

## quiz need: What do you need for a video call?
- (x) A device with a camera and internet
  > Right: the camera shows you.
- ( ) A printer
  > No: you do not need a printer.

## summary done: What you learned
- A video call shows picture and sound.
- You need a camera and internet.
"""


def write_package(root: Path, course_id: str = "video-calls") -> Path:
    """A package without any problem, in root/course_id."""
    folder = root / course_id
    files: dict[str, str | bytes] = {
        "course.toml": MANIFEST.replace('"video-calls"', f'"{course_id}"'),
        "content/de.md": DE,
        "content/en.md": EN,
        "images/cover.svg": SVG,
        "images/call.svg": SVG,
    }
    for name, data in files.items():
        write(folder / name, data)
    return folder


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    """Replace text that must be in the file exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(*paths: Path) -> list[str]:
    """What `kiosk courses check PATH…` prints (default: the courses folder)."""
    return [str(p) for p in check_courses(list(paths) or [Path("courses")]).problems]
