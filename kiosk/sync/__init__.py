"""The terminal's side of the hub: the HTTP client and the thread that pushes and pulls."""
