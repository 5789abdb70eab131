-- The protected tables of every statistics table and calendar month, all sites and the city
-- together, kept from the first export on: a month is the same in every later export, also
-- when a terminal that was offline sends events for it afterwards (kiosk.hub.stats).
CREATE TABLE published_months (
    table_name text NOT NULL,
    month date NOT NULL,
    body text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, month)
);
