-- Device-trial bookings shared by the terminals of a site: the hub decides them. Times are Unix
-- seconds (UTC), as on the terminals; a booking blocks its device from start_ts until
-- block_until_ts (its end plus the device's turnaround buffer). The name is the only personal
-- datum and is set to NULL [bookings] purge_days after the slot (kiosk.hub.bookings).

-- btree_gist lets one GiST index compare the site and the device (plain equality) together
-- with the time range: the exclusion constraint below. It ships with PostgreSQL itself
-- (Debian's postgresql-15 package); creating it needs the database's owner, as init-db runs.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE bookings (
    id bigserial PRIMARY KEY,
    -- The terminal's UUID (hex): a request or push sent twice stores one booking.
    uid text NOT NULL UNIQUE CHECK (uid ~ '^[0-9a-f]{32}$'),
    site text NOT NULL REFERENCES sites (id),
    code text NOT NULL CHECK (code ~ '^[ACDEFGHJKMNPQRTWXY34679]{6}$'),
    device_id text NOT NULL CHECK (device_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
    device_kind text NOT NULL CHECK (device_kind ~ '^[A-Za-z0-9_.-]{1,64}$'),
    start_ts bigint NOT NULL,
    end_ts bigint NOT NULL,
    block_until_ts bigint NOT NULL,
    name text CHECK (length(name) <= 40),
    status text NOT NULL CHECK (
        status IN ('pending', 'confirmed', 'checked_in', 'cancelled', 'no_show', 'conflict')
    ),
    walk_in boolean NOT NULL DEFAULT false,
    moved boolean NOT NULL DEFAULT false,
    -- The terminal that sent it first; kept when that terminal is removed, without it.
    origin bigint REFERENCES terminals (id) ON DELETE SET NULL,
    created_ts bigint NOT NULL,
    updated_ts bigint NOT NULL,
    change_seq bigint NOT NULL,
    CHECK (start_ts < end_ts AND end_ts <= block_until_ts),
    -- No double booking, whatever the caller checked before: two active bookings of one device
    -- of a site never have overlapping blocks ([start, block_until), as SQLite's triggers on a
    -- terminal). Checked inside the writing transaction; a conflict or cancellation holds
    -- nothing.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        site WITH =,
        device_id WITH =,
        int8range(start_ts, block_until_ts) WITH &&
    ) WHERE (status IN ('pending', 'confirmed', 'checked_in'))
);

-- A code leads to one booking of the site. The hub hands out codes no booking of the site has
-- (kiosk.hub.bookings); a booking two terminals made offline with the same code is stored as a
-- conflict instead, which may share the code, and may still be cancelled by staff.
CREATE UNIQUE INDEX bookings_code_per_site ON bookings (site, code)
    WHERE status NOT IN ('conflict', 'cancelled');
-- Looking a code up, and whether it is in use, whatever the booking's status.
CREATE INDEX bookings_by_code ON bookings (site, code);
-- The changes feed: a site's bookings after a terminal's cursor.
CREATE INDEX bookings_by_change ON bookings (site, change_seq);
-- Free slots and day lists read one site's bookings by time.
CREATE INDEX bookings_by_start ON bookings (site, start_ts);
-- Bookings that may still turn into no-shows: the hub looks for them twice a minute.
CREATE INDEX bookings_waiting ON bookings (site, start_ts)
    WHERE status IN ('pending', 'confirmed');

-- What staff set at any terminal of the site: available, needs_wiping, broken, in_repair (no
-- row = available). The last change by the terminals' clocks wins.
CREATE TABLE device_status (
    site text NOT NULL REFERENCES sites (id),
    device_id text NOT NULL CHECK (device_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
    status text NOT NULL CHECK (status IN ('available', 'needs_wiping', 'broken', 'in_repair')),
    changed_ts bigint NOT NULL,
    change_seq bigint NOT NULL,
    PRIMARY KEY (site, device_id)
);
CREATE INDEX device_status_by_change ON device_status (site, change_seq);

-- The hub writes usage events of its own: a no-show released at the hub is counted there, once
-- per site, with no terminal.
ALTER TABLE usage_events ALTER COLUMN terminal_id DROP NOT NULL;
