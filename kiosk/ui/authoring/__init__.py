"""Tools for course authors: the live preview of one course package (`kiosk courses preview`)."""
