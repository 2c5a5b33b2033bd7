-- Every account reads and shows date-times in its own IANA time zone
-- (panel forms and lists, day filters of orders); instants stay in UTC.
ALTER TABLE accounts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/Sao_Paulo';

-- The panel's client and vehicle pickers search by name and list the
-- matches in name order: with these the page is read from the index in
-- order and stops at the page's size instead of sorting every match.
CREATE INDEX clients_name ON clients (account_id, name, id);
CREATE INDEX vehicles_title ON vehicles (account_id, title, id);

-- The deals board pages each column (a phase of the open deals, and the
-- won and the lost ones) by last change: these give each page in order.
CREATE INDEX deals_board ON deals (account_id, status, phase, updated_at, id);
CREATE INDEX deals_closed ON deals (account_id, status, updated_at, id);
