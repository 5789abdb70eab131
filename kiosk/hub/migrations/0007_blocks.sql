-- A booking is a visitor's ('visit') or a block staff hold a device with ('blocked', for a
-- workshop, say) with its reason (kiosk.core.bookings.blocks). A block holds its time like any
-- booking (the exclusion constraint sees no difference) but has no name, is never released as
-- a no-show and never counted in the statistics.
ALTER TABLE bookings
    ADD COLUMN kind text NOT NULL DEFAULT 'visit' CHECK (kind IN ('visit', 'blocked')),
    ADD COLUMN reason text CHECK (length(reason) <= 60);

-- Bookings that may still turn into no-shows: visits only.
DROP INDEX bookings_waiting;
CREATE INDEX bookings_waiting ON bookings (site, start_ts)
    WHERE status IN ('pending', 'confirmed') AND kind = 'visit';
