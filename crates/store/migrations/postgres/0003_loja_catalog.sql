-- Loja catalogue (ecommloja-api.md §3.1, §3.4, §4): products of types 1/3/4,
-- the store's global varieties and grids, product variations and grids,
-- categories and subcategories, comments, related products, stock
-- retentions. Every table leads its keys with (account_id, store_id).
-- Ids are small per-store integers (the API shows "id": "20"), handed out
-- by catalog_counters inside the writing transaction.
-- Money is BIGINT centavos; weight is BIGINT thousandths of a kilogram.

CREATE TABLE catalog_counters (
    account_id UUID NOT NULL,
    store_id   UUID NOT NULL,
    entity     TEXT NOT NULL,
    last_id    BIGINT NOT NULL,
    PRIMARY KEY (account_id, store_id, entity),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);

CREATE TABLE products (
    account_id           UUID NOT NULL,
    store_id             UUID NOT NULL,
    id                   BIGINT NOT NULL,
    sku                  TEXT NOT NULL,
    name                 TEXT NOT NULL,
    -- accent-folded, lowercased name kept by the repository for search
    name_search          TEXT NOT NULL,
    barcode              TEXT NOT NULL DEFAULT '',
    short_description    TEXT NOT NULL DEFAULT '',
    price                BIGINT NOT NULL DEFAULT 0,
    promotional_price    BIGINT NOT NULL DEFAULT 0,
    url                  TEXT NOT NULL,
    stock                BIGINT NOT NULL DEFAULT 0,
    available            BOOLEAN NOT NULL DEFAULT TRUE,
    budget               BOOLEAN NOT NULL DEFAULT FALSE,
    hide_price           BOOLEAN NOT NULL DEFAULT FALSE,
    weight               BIGINT NOT NULL DEFAULT 0,
    height               BIGINT NOT NULL DEFAULT 0,
    length               BIGINT NOT NULL DEFAULT 0,
    width                BIGINT NOT NULL DEFAULT 0,
    fitting_difference   BIGINT NOT NULL DEFAULT 0,
    deadline             BIGINT NOT NULL DEFAULT 0,
    unit_measurement     TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    specifications       TEXT NOT NULL DEFAULT '',
    warranty             TEXT NOT NULL DEFAULT '',
    -- set by manufacturer/linkProduct and brand/linkProduct (NULL = none)
    manufacturer_id      BIGINT,
    manufacturer_code    TEXT NOT NULL DEFAULT '',
    brand_id             BIGINT,
    variety_title        TEXT NOT NULL DEFAULT '',
    grid_title           TEXT NOT NULL DEFAULT '',
    configurable_title   TEXT NOT NULL DEFAULT '',
    meta_description     TEXT NOT NULL DEFAULT '',
    meta_title           TEXT NOT NULL DEFAULT '',
    meta_keys            TEXT NOT NULL DEFAULT '',
    type                 SMALLINT NOT NULL,
    sort                 BIGINT NOT NULL DEFAULT 0,
    obs_box              BOOLEAN NOT NULL DEFAULT FALSE,
    illustrative_picture BOOLEAN NOT NULL DEFAULT FALSE,
    multiple             BOOLEAN NOT NULL DEFAULT FALSE,
    multiple_price       BIGINT NOT NULL DEFAULT 0,
    status               BOOLEAN NOT NULL DEFAULT FALSE,
    register_date        TIMESTAMPTZ NOT NULL,
    last_update          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX products_sku ON products (account_id, store_id, sku);
CREATE UNIQUE INDEX products_url ON products (account_id, store_id, url);
CREATE INDEX products_name_search ON products (account_id, store_id, name_search);

-- Global options of a store: colours, flavours… (E05) and sizes (E07).
CREATE TABLE varieties (
    account_id  UUID NOT NULL,
    store_id    UUID NOT NULL,
    id          BIGINT NOT NULL,
    name        TEXT NOT NULL,
    name_search TEXT NOT NULL,
    image       TEXT NOT NULL DEFAULT '',
    color1      TEXT NOT NULL DEFAULT '',
    color2      TEXT NOT NULL DEFAULT '',
    icon_type   SMALLINT NOT NULL DEFAULT 0,
    sort        BIGINT NOT NULL DEFAULT 0,
    status      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);

CREATE TABLE grids (
    account_id  UUID NOT NULL,
    store_id    UUID NOT NULL,
    id          BIGINT NOT NULL,
    name        TEXT NOT NULL,
    name_search TEXT NOT NULL,
    sort        BIGINT NOT NULL DEFAULT 0,
    status      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);

-- Sellable units of a type-4 product ("configurable products").
CREATE TABLE product_variations (
    account_id        UUID NOT NULL,
    store_id          UUID NOT NULL,
    id                BIGINT NOT NULL,
    product_id        BIGINT NOT NULL,
    variety_id        BIGINT NOT NULL,
    sku               TEXT NOT NULL,
    price             BIGINT NOT NULL DEFAULT 0,
    promotional_price BIGINT NOT NULL DEFAULT 0,
    stock             BIGINT NOT NULL DEFAULT 0,
    weight            BIGINT NOT NULL DEFAULT 0,
    height            BIGINT NOT NULL DEFAULT 0,
    length            BIGINT NOT NULL DEFAULT 0,
    width             BIGINT NOT NULL DEFAULT 0,
    sort              BIGINT NOT NULL DEFAULT 0,
    status            BOOLEAN NOT NULL DEFAULT FALSE,
    image             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, store_id, variety_id) REFERENCES varieties (account_id, store_id, id)
);
CREATE UNIQUE INDEX product_variations_sku ON product_variations (account_id, store_id, sku);
CREATE INDEX product_variations_product ON product_variations (account_id, store_id, product_id);

-- Sellable units of a type-3 product: one per (variety, grid) sold.
CREATE TABLE product_grids (
    account_id        UUID NOT NULL,
    store_id          UUID NOT NULL,
    id                BIGINT NOT NULL,
    product_id        BIGINT NOT NULL,
    variety_id        BIGINT NOT NULL,
    grid_id           BIGINT NOT NULL,
    sku               TEXT NOT NULL,
    price             BIGINT NOT NULL DEFAULT 0,
    promotional_price BIGINT NOT NULL DEFAULT 0,
    stock             BIGINT NOT NULL DEFAULT 0,
    weight            BIGINT NOT NULL DEFAULT 0,
    height            BIGINT NOT NULL DEFAULT 0,
    length            BIGINT NOT NULL DEFAULT 0,
    width             BIGINT NOT NULL DEFAULT 0,
    sort              BIGINT NOT NULL DEFAULT 0,
    status            BOOLEAN NOT NULL DEFAULT FALSE,
    image             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, store_id, variety_id) REFERENCES varieties (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, grid_id) REFERENCES grids (account_id, store_id, id)
);
CREATE UNIQUE INDEX product_grids_sku ON product_grids (account_id, store_id, sku);
CREATE INDEX product_grids_product ON product_grids (account_id, store_id, product_id);

-- One SKU namespace across products, variations and grids (§1.8): every
-- SKU is claimed here first, so the primary key refuses a duplicate
-- whichever table it belongs to. kind: 1 product, 4 variation, 3 grid.
CREATE TABLE catalog_skus (
    account_id UUID NOT NULL,
    store_id   UUID NOT NULL,
    sku        TEXT NOT NULL,
    kind       SMALLINT NOT NULL,
    product_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, store_id, sku),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);

-- Categories (type 1) and subcategories (type 2): separate id spaces.
CREATE TABLE categories (
    account_id       UUID NOT NULL,
    store_id         UUID NOT NULL,
    id               BIGINT NOT NULL,
    name             TEXT NOT NULL,
    name_search      TEXT NOT NULL,
    url              TEXT NOT NULL,
    sort             BIGINT NOT NULL DEFAULT 0,
    description      TEXT NOT NULL DEFAULT '',
    view_menu        BOOLEAN NOT NULL DEFAULT FALSE,
    visits           BIGINT NOT NULL DEFAULT 0,
    meta_description TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_keys        TEXT NOT NULL DEFAULT '',
    hot_page         BIGINT NOT NULL DEFAULT 1,
    page_id          BIGINT NOT NULL DEFAULT 0,
    status           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX categories_url ON categories (account_id, store_id, url);

CREATE TABLE subcategories (
    account_id       UUID NOT NULL,
    store_id         UUID NOT NULL,
    id               BIGINT NOT NULL,
    -- exactly one of parent_id (a category) and sub_parent_id (a subcategory) is non-zero
    parent_id        BIGINT NOT NULL DEFAULT 0,
    sub_parent_id    BIGINT NOT NULL DEFAULT 0,
    name             TEXT NOT NULL,
    name_search      TEXT NOT NULL,
    url              TEXT NOT NULL,
    sort             BIGINT NOT NULL DEFAULT 0,
    description      TEXT NOT NULL DEFAULT '',
    view_menu        BOOLEAN NOT NULL DEFAULT FALSE,
    meta_description TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_keys        TEXT NOT NULL DEFAULT '',
    status           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX subcategories_url ON subcategories (account_id, store_id, url);

-- Product ↔ category/subcategory links; id keeps creation order (E12).
CREATE TABLE product_categories (
    account_id    UUID NOT NULL,
    store_id      UUID NOT NULL,
    id            BIGINT NOT NULL,
    product_id    BIGINT NOT NULL,
    category_type SMALLINT NOT NULL,
    category_id   BIGINT NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX product_categories_link ON product_categories (account_id, store_id, product_id, category_type, category_id);
CREATE INDEX product_categories_category ON product_categories (account_id, store_id, category_type, category_id);

-- Reviews (E20), written through the product/insertcomment extension.
CREATE TABLE product_comments (
    account_id     UUID NOT NULL,
    store_id       UUID NOT NULL,
    id             BIGINT NOT NULL,
    product_id     BIGINT NOT NULL,
    customer_name  TEXT NOT NULL,
    customer_email TEXT NOT NULL DEFAULT '',
    rating         BIGINT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    date           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);
CREATE INDEX product_comments_product ON product_comments (account_id, store_id, product_id);

-- Directional related products (E21), product/linkrelated extension.
CREATE TABLE related_products (
    account_id         UUID NOT NULL,
    store_id           UUID NOT NULL,
    product_id         BIGINT NOT NULL,
    related_product_id BIGINT NOT NULL,
    position           BIGINT NOT NULL,
    PRIMARY KEY (account_id, store_id, product_id, related_product_id),
    FOREIGN KEY (account_id, store_id, product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, store_id, related_product_id) REFERENCES products (account_id, store_id, id) ON DELETE CASCADE
);

-- Stock held by orders awaiting a status change (E23). Written by the
-- order work; sku_variety / sku_grid hold "0" when not applicable.
CREATE TABLE stock_retentions (
    account_id   UUID NOT NULL,
    store_id     UUID NOT NULL,
    id           BIGINT NOT NULL,
    order_id     BIGINT NOT NULL,
    product_id   BIGINT,
    variation_id BIGINT,
    grid_id      BIGINT,
    sku          TEXT NOT NULL,
    sku_variety  TEXT NOT NULL DEFAULT '0',
    sku_grid     TEXT NOT NULL DEFAULT '0',
    stock        BIGINT NOT NULL,
    type         SMALLINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE INDEX stock_retentions_order ON stock_retentions (account_id, store_id, order_id);

-- Sales / promotions (E37), written through the category/insertsale
-- extension. category_id 0 = every category ("Todas"). start_date and
-- end_date are store-local "YYYY-MM-DD HH:MM:SS" text, echoed verbatim.
CREATE TABLE sales (
    account_id          UUID NOT NULL,
    store_id            UUID NOT NULL,
    id                  BIGINT NOT NULL,
    name                TEXT NOT NULL,
    url                 TEXT NOT NULL,
    category_id         BIGINT NOT NULL DEFAULT 0,
    subcategory_id      BIGINT NOT NULL DEFAULT 0,
    aplication          BIGINT NOT NULL DEFAULT 1,
    sale_type           BIGINT NOT NULL DEFAULT 1,
    sale_value          BIGINT NOT NULL DEFAULT 0,
    product_amount      BIGINT NOT NULL DEFAULT 0,
    minimum_value_order BIGINT NOT NULL DEFAULT 0,
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    comments            TEXT NOT NULL DEFAULT '',
    date_register       TIMESTAMPTZ NOT NULL,
    last_update         TIMESTAMPTZ NOT NULL,
    status              BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, store_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE INDEX sales_category ON sales (account_id, store_id, category_id);
