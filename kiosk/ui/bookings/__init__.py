"""Device-trial bookings for visitors: free times, booking with a first name, the code, the slip."""
