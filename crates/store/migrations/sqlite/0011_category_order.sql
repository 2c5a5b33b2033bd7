-- E01 pages a category's products by the products' `sort`, then id. With
-- the sort copied onto each link, one index walk yields the page in order
-- instead of reading and sorting every product of the category.
ALTER TABLE product_categories ADD COLUMN product_sort INTEGER NOT NULL DEFAULT 0;

UPDATE product_categories SET product_sort = (
    SELECT p.sort FROM products p
    WHERE p.account_id = product_categories.account_id
      AND p.store_id = product_categories.store_id
      AND p.id = product_categories.product_id
);

DROP INDEX product_categories_category;
CREATE INDEX product_categories_order
    ON product_categories (account_id, store_id, category_type, category_id, product_sort, product_id);

-- The copy follows the product, whatever path changes its sort.
CREATE TRIGGER products_sort_to_categories AFTER UPDATE OF sort ON products
WHEN OLD.sort IS NOT NEW.sort
BEGIN
    UPDATE product_categories SET product_sort = NEW.sort
    WHERE account_id = NEW.account_id AND store_id = NEW.store_id AND product_id = NEW.id;
END;
