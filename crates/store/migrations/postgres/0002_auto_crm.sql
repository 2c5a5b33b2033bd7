-- Auto API CRM: clients, vehicles, deals (ecosys-auto-api.md §4.1–§4.3).
-- Keys and indexes lead with account_id; every documented filter and the
-- default sort (-created_at, ties by id) has an index, so a filtered COUNT(*)
-- never reads another tenant's rows. Money is BIGINT centavos. Enum columns
-- hold the documented wire spelling. *_key columns are normalised copies for
-- duplicate checks and case/accent-insensitive filters; search_text is the
-- folded text `search` matches (computed in vitrine-core).

CREATE TABLE clients (
    account_id           UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                   UUID NOT NULL,
    kind                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    display_name         TEXT,
    email                TEXT,
    phone                TEXT,
    mobile_phone         TEXT,
    whatsapp             TEXT,
    cpf                  TEXT,
    cpf_key              TEXT,
    rg                   TEXT,
    birth_date           DATE,
    gender               TEXT,
    marital_status       TEXT,
    nationality          TEXT,
    cnpj                 TEXT,
    cnpj_key             TEXT,
    legal_name           TEXT,
    trade_name           TEXT,
    state_registration   TEXT,
    segment              TEXT,
    source               TEXT,
    status               TEXT NOT NULL,
    store_id             UUID,
    address_street       TEXT,
    address_number       TEXT,
    address_complement   TEXT,
    address_neighborhood TEXT,
    address_city         TEXT,
    address_state        TEXT,
    address_zip_code     TEXT,
    address_country      TEXT,
    notes                TEXT,
    tags                 TEXT NOT NULL,
    search_text          TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id)
);
CREATE INDEX clients_created ON clients (account_id, created_at, id);
CREATE INDEX clients_kind ON clients (account_id, kind, created_at);
CREATE INDEX clients_segment ON clients (account_id, segment, created_at);
CREATE INDEX clients_status ON clients (account_id, status, created_at);
CREATE INDEX clients_store ON clients (account_id, store_id, created_at);
-- Decision 2: a CPF/CNPJ belongs to one non-inactive client per account.
-- The write transaction checks first (to answer 409 with the field); these
-- close the race between two concurrent writers.
CREATE UNIQUE INDEX clients_cpf_unique ON clients (account_id, cpf_key)
    WHERE cpf_key IS NOT NULL AND status <> 'inactive';
CREATE UNIQUE INDEX clients_cnpj_unique ON clients (account_id, cnpj_key)
    WHERE cnpj_key IS NOT NULL AND status <> 'inactive';

CREATE TABLE vehicles (
    account_id       UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id               UUID NOT NULL,
    title            TEXT NOT NULL,
    store_id         UUID NOT NULL,
    brand            TEXT,
    brand_key        TEXT,
    model            TEXT,
    model_key        TEXT,
    version          TEXT,
    year_model       INTEGER,
    year_manufacture INTEGER,
    price_cents      BIGINT,
    purchase_cents   BIGINT,
    mileage          BIGINT,
    color            TEXT,
    fuel             TEXT,
    transmission     TEXT,
    plate            TEXT,
    plate_key        TEXT,
    client_id        UUID,
    phase            TEXT NOT NULL,
    status           TEXT NOT NULL,
    fipe_code        TEXT,
    fipe_cents       BIGINT,
    body_type        TEXT,
    doors            INTEGER,
    engine           TEXT,
    chassis          TEXT,
    renavam          TEXT,
    description      TEXT,
    features         TEXT,
    photos           TEXT,
    search_text      TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id)
);
CREATE INDEX vehicles_created ON vehicles (account_id, created_at, id);
CREATE INDEX vehicles_status ON vehicles (account_id, status, created_at);
CREATE INDEX vehicles_phase ON vehicles (account_id, phase, created_at);
CREATE INDEX vehicles_store ON vehicles (account_id, store_id, created_at);
CREATE INDEX vehicles_client ON vehicles (account_id, client_id, created_at);
CREATE INDEX vehicles_brand ON vehicles (account_id, brand_key, model_key);
CREATE INDEX vehicles_year ON vehicles (account_id, year_model);
CREATE INDEX vehicles_price ON vehicles (account_id, price_cents);
-- Decision 2: a plate belongs to one in-stock vehicle per account; the
-- predicate is vitrine_core::vehicle::Vehicle::in_stock.
CREATE UNIQUE INDEX vehicles_plate_unique ON vehicles (account_id, plate_key)
    WHERE plate_key IS NOT NULL
      AND status NOT IN ('vendido', 'arquivado')
      AND phase NOT IN ('vendido', 'entregue');

CREATE TABLE deals (
    account_id          UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                  UUID NOT NULL,
    title               TEXT NOT NULL,
    value_cents         BIGINT,
    phase               TEXT NOT NULL,
    probability         INTEGER,
    status              TEXT NOT NULL,
    loss_reason         TEXT,
    client_id           UUID,
    vehicle_id          UUID,
    store_id            UUID,
    source              TEXT,
    tags                TEXT NOT NULL,
    description         TEXT,
    expected_close_date DATE,
    responsible_id      TEXT,
    won_at              TIMESTAMPTZ,
    lost_at             TIMESTAMPTZ,
    search_text         TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, vehicle_id) REFERENCES vehicles (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id)
);
CREATE INDEX deals_created ON deals (account_id, created_at, id);
CREATE INDEX deals_status ON deals (account_id, status, created_at);
CREATE INDEX deals_phase ON deals (account_id, phase, created_at);
CREATE INDEX deals_client ON deals (account_id, client_id, created_at);
CREATE INDEX deals_vehicle ON deals (account_id, vehicle_id, created_at);
CREATE INDEX deals_store ON deals (account_id, store_id, created_at);
