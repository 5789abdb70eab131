"""Pieces several features use: screen base, keyboard, QR codes, printing, buttons, layouts."""
