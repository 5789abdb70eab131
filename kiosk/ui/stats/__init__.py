"""Usage statistics for staff: the dashboard, the consultation counter, the export for the city."""
