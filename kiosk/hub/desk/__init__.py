"""The staff web desk: server-rendered pages under /desk/ for bookings, conflicts, the fleet and
the city figures, with staff accounts, sessions and an audit log (kiosk.hub.desk.web)."""
