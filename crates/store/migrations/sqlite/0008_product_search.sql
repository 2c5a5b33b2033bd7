-- SQLite twin of postgres/0008_product_search.sql: an FTS5 index with the
-- trigram tokenizer over the folded name, which serves `LIKE '%term%'`,
-- kept in step with `products` by triggers (an external-content table).
CREATE VIRTUAL TABLE products_search USING fts5(
    name_search,
    content = 'products',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);

CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_search (rowid, name_search) VALUES (new.rowid, new.name_search);
END;

CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_search (products_search, rowid, name_search) VALUES ('delete', old.rowid, old.name_search);
END;

CREATE TRIGGER products_search_update AFTER UPDATE OF name_search ON products BEGIN
    INSERT INTO products_search (products_search, rowid, name_search) VALUES ('delete', old.rowid, old.name_search);
    INSERT INTO products_search (rowid, name_search) VALUES (new.rowid, new.name_search);
END;

-- Index the products that existed before this migration.
INSERT INTO products_search (products_search) VALUES ('rebuild');
