"""The staff desk: the terminal's health, and the day's and week's bookings per device."""
