-- Loja orders (ecommloja-api.md §3.3, §3.9, §3.10): customers of a store,
-- their carts, orders with their lines, banners, and the per-store secret
-- that signs customer JWTs. Every table leads its keys with
-- (account_id, store_id). Money is INTEGER centavos.

-- The HS256 secret of a store's customer JWTs, made on first use. Never logged.
CREATE TABLE loja_jwt_secrets (
    account_id BLOB NOT NULL,
    store_id   BLOB NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, store_id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);

-- Customers (PF type 1, PJ type 2); email unique per store, ignoring case.
CREATE TABLE customers (
    account_id      BLOB NOT NULL,
    store_id        BLOB NOT NULL,
    id              INTEGER NOT NULL,
    type            INTEGER NOT NULL DEFAULT 1,
    name            TEXT NOT NULL,
    company_name    TEXT NOT NULL DEFAULT '',
    cpf             TEXT NOT NULL DEFAULT '',
    rg              TEXT NOT NULL DEFAULT '',
    cnpj            TEXT NOT NULL DEFAULT '',
    gender          TEXT NOT NULL DEFAULT '',
    -- raw text: the doc's example is "9999-99-99"
    birth_date      TEXT NOT NULL DEFAULT '',
    establish_date  TEXT,
    cellphone       TEXT NOT NULL DEFAULT '',
    telephone       TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL,
    email_search    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    cep             TEXT NOT NULL DEFAULT '',
    street          TEXT NOT NULL DEFAULT '',
    number          TEXT NOT NULL DEFAULT '',
    address_details TEXT NOT NULL DEFAULT '',
    neighborhood    TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    status          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX customers_email ON customers (account_id, store_id, email_search);

-- Carts: at most one open per customer (closed by checkout).
CREATE TABLE carts (
    account_id    BLOB NOT NULL,
    store_id      BLOB NOT NULL,
    id            INTEGER NOT NULL,
    hash          TEXT NOT NULL,
    customer_id   INTEGER NOT NULL,
    date_register TEXT NOT NULL,
    open          INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, customer_id) REFERENCES customers (account_id, store_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX carts_hash ON carts (account_id, store_id, hash);
-- At most one open cart per customer (E65's hash_cart).
CREATE UNIQUE INDEX carts_open ON carts (account_id, store_id, customer_id) WHERE open = 1;

-- Cart lines: a type-1 product, or one variation or grid of a product.
CREATE TABLE cart_lines (
    account_id   BLOB NOT NULL,
    store_id     BLOB NOT NULL,
    id           INTEGER NOT NULL,
    cart_id      INTEGER NOT NULL,
    product_id   INTEGER NOT NULL,
    variation_id INTEGER,
    grid_id      INTEGER,
    sku          TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, cart_id) REFERENCES carts (account_id, store_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX cart_lines_cart ON cart_lines (account_id, store_id, cart_id);

-- Orders: made by checkout (channel 'app') or the order/insert extension.
-- value = items_total + shipping - discount, kept for filters and display.
CREATE TABLE orders (
    account_id         BLOB NOT NULL,
    store_id           BLOB NOT NULL,
    id                 INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    date               TEXT NOT NULL,
    items_total        INTEGER NOT NULL,
    shipping           INTEGER NOT NULL DEFAULT 0,
    discount           INTEGER NOT NULL DEFAULT 0,
    value              INTEGER NOT NULL,
    status             INTEGER NOT NULL,
    payment_method     INTEGER NOT NULL DEFAULT 0,
    payment_mode       INTEGER NOT NULL DEFAULT 0,
    estimated_delivery TEXT NOT NULL DEFAULT '',
    tracking_code      TEXT NOT NULL DEFAULT '',
    tracking_link      TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    delivery_note      TEXT NOT NULL DEFAULT '',
    delivery_type_code TEXT NOT NULL DEFAULT '',
    delivery_name      TEXT,
    delivery_code      TEXT NOT NULL DEFAULT '',
    installments       INTEGER NOT NULL DEFAULT 0,
    value_installments INTEGER NOT NULL DEFAULT 0,
    currency           TEXT NOT NULL DEFAULT 'BRL',
    currency_symbol    TEXT NOT NULL DEFAULT 'R$',
    cep                TEXT NOT NULL DEFAULT '',
    street             TEXT NOT NULL DEFAULT '',
    number             TEXT NOT NULL DEFAULT '',
    address_details    TEXT NOT NULL DEFAULT '',
    neighborhood       TEXT NOT NULL DEFAULT '',
    city               TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT '',
    country            TEXT NOT NULL DEFAULT '',
    client_ip          TEXT NOT NULL DEFAULT '',
    card_brand         TEXT NOT NULL DEFAULT '',
    card_last4         TEXT NOT NULL DEFAULT '',
    card_name          TEXT NOT NULL DEFAULT '',
    link_boleto        TEXT NOT NULL DEFAULT '',
    link_pix           TEXT NOT NULL DEFAULT '',
    troco              TEXT NOT NULL DEFAULT '',
    wedding_list       TEXT NOT NULL DEFAULT '',
    channel            TEXT NOT NULL DEFAULT 'app',
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, customer_id) REFERENCES customers (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX orders_date ON orders (account_id, store_id, date);

-- Order lines: snapshots taken at purchase.
CREATE TABLE order_lines (
    account_id        BLOB NOT NULL,
    store_id          BLOB NOT NULL,
    id                INTEGER NOT NULL,
    order_id          INTEGER NOT NULL,
    product_id        INTEGER,
    variation_id      INTEGER,
    grid_id           INTEGER,
    product_name      TEXT NOT NULL,
    sku               TEXT NOT NULL,
    variety           TEXT NOT NULL DEFAULT '',
    variety_sku       TEXT NOT NULL DEFAULT '',
    grid              TEXT NOT NULL DEFAULT '',
    grid_sku          TEXT NOT NULL DEFAULT '',
    type              INTEGER NOT NULL,
    price             INTEGER NOT NULL,
    promotional_price INTEGER,
    quantity          INTEGER NOT NULL,
    multiple          INTEGER NOT NULL DEFAULT 0,
    multiple_price    INTEGER,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, order_id) REFERENCES orders (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX order_lines_order ON order_lines (account_id, store_id, order_id);

-- Banners (E62). Dates are store-local "YYYY-MM-DD HH:MM:SS" text.
CREATE TABLE banners (
    account_id           BLOB NOT NULL,
    store_id             BLOB NOT NULL,
    id                   INTEGER NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    extension            TEXT NOT NULL DEFAULT '',
    mobile_name          TEXT NOT NULL DEFAULT '',
    mobile_extension     TEXT NOT NULL DEFAULT '',
    desktop_path         TEXT NOT NULL DEFAULT '',
    mobile_path          TEXT NOT NULL DEFAULT '',
    link                 TEXT NOT NULL DEFAULT '',
    subtitle             TEXT NOT NULL DEFAULT '',
    type                 INTEGER NOT NULL DEFAULT 1,
    main                 INTEGER NOT NULL DEFAULT 0,
    sort                 INTEGER NOT NULL DEFAULT 0,
    date_start           TEXT NOT NULL,
    date_end             TEXT NOT NULL,
    search_category_flag INTEGER NOT NULL DEFAULT 0,
    status               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
