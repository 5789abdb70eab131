-- Resume codes handed out to terminals before they are needed: a terminal that is online
-- takes its new codes from its reserve, so two terminals never print the same code (codes
-- drawn at random on each terminal would meet by chance once the city holds tens of thousands).
CREATE TABLE reserved_codes (
    code text PRIMARY KEY CHECK (code ~ '^[ACDEFGHJKMNPQRTWXY34679]{8}$'),
    terminal_id bigint NOT NULL REFERENCES terminals (id) ON DELETE CASCADE,
    reserved_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reserved_codes_by_terminal ON reserved_codes (terminal_id);
