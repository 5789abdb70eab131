"""Probierladen Kiosk: touch-screen kiosk for public digital-learning spaces."""

__version__ = "0.1.0"
