-- Loja catalogue, second part (ecommloja-api.md §3.2, §3.5–§3.7):
-- manufacturers, brands, tags and their product links, product gallery
-- images. Ids are per-store integers from catalog_counters, like 0003's.

CREATE TABLE manufacturers (
    account_id       UUID NOT NULL,
    store_id         UUID NOT NULL,
    id               BIGINT NOT NULL,
    name             TEXT NOT NULL,
    -- lowercased name: lookups are case-insensitive and names unique by it
    name_key         TEXT NOT NULL,
    url              TEXT NOT NULL,
    code             TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    meta_keys        TEXT NOT NULL DEFAULT '',
    status           BOOLEAN NOT NULL DEFAULT TRUE,
    insert_date      TIMESTAMPTZ NOT NULL,
    last_update      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX manufacturers_name ON manufacturers (account_id, store_id, name_key);

CREATE TABLE brands (
    account_id       UUID NOT NULL,
    store_id         UUID NOT NULL,
    id               BIGINT NOT NULL,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    url              TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    sort             BIGINT NOT NULL DEFAULT 0,
    view_menu        BOOLEAN NOT NULL DEFAULT FALSE,
    meta_description TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_keys        TEXT NOT NULL DEFAULT '',
    image            TEXT NOT NULL DEFAULT '',
    menu_icon        TEXT NOT NULL DEFAULT '',
    desktop_image    TEXT NOT NULL DEFAULT '',
    mobile_image     TEXT NOT NULL DEFAULT '',
    status           BOOLEAN NOT NULL DEFAULT TRUE,
    date_register    TIMESTAMPTZ NOT NULL,
    last_upload      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE INDEX brands_name ON brands (account_id, store_id, name_key);

CREATE TABLE tags (
    account_id    UUID NOT NULL,
    store_id      UUID NOT NULL,
    id            BIGINT NOT NULL,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    url           TEXT NOT NULL,
    bg_color      TEXT NOT NULL DEFAULT '',
    txt_color     TEXT NOT NULL DEFAULT '',
    tag_type      SMALLINT NOT NULL,
    category_id   BIGINT NOT NULL DEFAULT 0,
    days          BIGINT NOT NULL DEFAULT 0,
    minimum_price BIGINT NOT NULL DEFAULT 0,
    status        BOOLEAN NOT NULL DEFAULT TRUE,
    register_date TIMESTAMPTZ NOT NULL,
    last_update   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX tags_url ON tags (account_id, store_id, url);
CREATE INDEX tags_category ON tags (account_id, store_id, category_id);

-- Explicit product ↔ tag links (type-1 tags apply only through these).
CREATE TABLE product_tags (
    account_id UUID NOT NULL,
    store_id   UUID NOT NULL,
    product_id BIGINT NOT NULL,
    tag_id     BIGINT NOT NULL,
    PRIMARY KEY (account_id, store_id, product_id, tag_id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, store_id, tag_id) REFERENCES tags (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX product_tags_tag ON product_tags (account_id, store_id, tag_id);

-- A main product's gallery (E25–E28). Variation and grid images are the
-- single `image` column of their rows.
CREATE TABLE product_images (
    account_id UUID NOT NULL,
    store_id   UUID NOT NULL,
    id         BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    -- the media path the API shows, and its last segment for lookups by name
    image      TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    main       BOOLEAN NOT NULL DEFAULT FALSE,
    hover      BOOLEAN NOT NULL DEFAULT FALSE,
    sort       BIGINT NOT NULL DEFAULT 0,
    status     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX product_images_product ON product_images (account_id, store_id, product_id, sort, id);
CREATE INDEX product_images_file ON product_images (account_id, store_id, file_name);
