-- Days a site differs from its config, kept by staff at a terminal or the web desk
-- (kiosk.core.bookings.exceptions): closed all day, or open only opens-closes (minutes from
-- midnight, 1440 = 24:00). One row per site and day; the last change wins, and a removed one
-- stays, marked, so the removal reaches every terminal of the site. Each change takes the next
-- change number (kiosk.hub.sequence): the terminals pull it like a device state.
CREATE TABLE date_exceptions (
    id bigserial PRIMARY KEY,
    site text NOT NULL REFERENCES sites (id),
    day date NOT NULL,
    closed boolean NOT NULL,
    opens_minute integer CHECK (opens_minute BETWEEN 0 AND 1439),
    closes_minute integer CHECK (closes_minute BETWEEN 1 AND 1440),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    removed boolean NOT NULL DEFAULT false,
    changed_ts bigint NOT NULL,
    change_seq bigint NOT NULL,
    UNIQUE (site, day),
    CHECK (closed OR (opens_minute IS NOT NULL AND closes_minute IS NOT NULL
        AND opens_minute < closes_minute))
);
CREATE INDEX date_exceptions_by_change ON date_exceptions (site, change_seq);
