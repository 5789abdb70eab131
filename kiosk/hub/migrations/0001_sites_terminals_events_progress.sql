-- The hub's first schema: sites and their configs, enrolled terminals, usage events and
-- city-wide learning progress. Applied once by `kiosk hub init-db`; never edit a shipped file,
-- add the next number instead.

-- A site is one place with terminals (the vhs Probierladen, a library branch, ...).
CREATE TABLE sites (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Site configs as pushed by administrators, every version kept; the newest is the site's.
CREATE TABLE site_configs (
    site text NOT NULL REFERENCES sites (id),
    version integer NOT NULL CHECK (version >= 1),
    body text NOT NULL,
    sha256 text NOT NULL CHECK (length(sha256) = 64),
    pushed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, version)
);

-- Enrolled terminals. Only the SHA-256 of a token is stored: a token is 256 random bits, so a
-- fast hash is enough (no password to stretch), and a stolen table gives no working token.
CREATE TABLE terminals (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    site text NOT NULL REFERENCES sites (id),
    token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    enrolled_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    last_seen timestamptz,
    version text NOT NULL DEFAULT '',
    rows_received bigint NOT NULL DEFAULT 0,
    backlog bigint NOT NULL DEFAULT 0,
    backlog_at timestamptz
);

-- Anonymous usage events, each exactly once (the terminal's UUID is the key). The values come
-- from closed vocabularies; there is no visitor, session or free text (see kiosk.core.stats).
CREATE TABLE usage_events (
    id uuid PRIMARY KEY,
    site text NOT NULL REFERENCES sites (id),
    terminal_id bigint NOT NULL REFERENCES terminals (id),
    hour text NOT NULL CHECK (hour ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}$'),
    kind text NOT NULL,
    language text NOT NULL DEFAULT '',
    course_id text NOT NULL DEFAULT '',
    device_kind text NOT NULL DEFAULT '',
    format text NOT NULL DEFAULT '',
    duration text NOT NULL DEFAULT ''
);
CREATE INDEX usage_events_by_site_hour ON usage_events (site, hour);

-- Learning progress that has a resume code, city-wide: a code taken at the library works at
-- the vhs. The courses are one JSON object per record ({course_id: course}); a change keeps,
-- course by course, the one updated last. change_seq orders changes for the terminals' pull.
CREATE TABLE progress (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    code text NOT NULL UNIQUE CHECK (code ~ '^[ACDEFGHJKMNPQRTWXY34679]{8}$'),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    courses jsonb NOT NULL,
    change_seq bigint NOT NULL,
    changed_by bigint REFERENCES terminals (id) ON DELETE SET NULL
);
CREATE INDEX progress_by_change ON progress (change_seq);
CREATE INDEX progress_by_expiry ON progress (expires_at);

-- Which terminals hold a copy of a record (they pushed it or looked it up): they pull its
-- changes. Others never see it unless a visitor types its code there.
CREATE TABLE progress_holders (
    progress_id text NOT NULL REFERENCES progress (id) ON DELETE CASCADE,
    terminal_id bigint NOT NULL REFERENCES terminals (id) ON DELETE CASCADE,
    PRIMARY KEY (terminal_id, progress_id)
);

-- Progress rows already taken in, by the UUID of the terminal's outbox row: a batch sent twice
-- changes nothing.
CREATE TABLE received_rows (
    id uuid PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- One counter for change_seq. Taking it locks the row until commit, so changes become
-- visible in the order of their numbers and a cursor never skips one.
CREATE TABLE change_counter (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    value bigint NOT NULL
);
INSERT INTO change_counter (singleton, value) VALUES (true, 0);

-- Unknown resume codes asked for, per terminal and per code prefix, per hour: the throttle
-- against enumerating codes through the hub.
CREATE TABLE code_lookup_failures (
    scope text NOT NULL,
    hour timestamptz NOT NULL,
    failures integer NOT NULL,
    PRIMARY KEY (scope, hour)
);
