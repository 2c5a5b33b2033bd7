-- E01 pages a category's products by the products' `sort`, then id. With
-- the sort copied onto each link, one index walk yields the page in order
-- instead of reading and sorting every product of the category.
ALTER TABLE product_categories ADD COLUMN product_sort BIGINT NOT NULL DEFAULT 0;

UPDATE product_categories l SET product_sort = p.sort
FROM products p
WHERE p.account_id = l.account_id AND p.store_id = l.store_id AND p.id = l.product_id;

DROP INDEX product_categories_category;
CREATE INDEX product_categories_order
    ON product_categories (account_id, store_id, category_type, category_id, product_sort, product_id);

-- The copy follows the product, whatever path changes its sort.
CREATE FUNCTION products_sort_to_categories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE product_categories SET product_sort = NEW.sort
    WHERE account_id = NEW.account_id AND store_id = NEW.store_id AND product_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER products_sort_to_categories AFTER UPDATE OF sort ON products
FOR EACH ROW WHEN (OLD.sort IS DISTINCT FROM NEW.sort)
EXECUTE FUNCTION products_sort_to_categories();
