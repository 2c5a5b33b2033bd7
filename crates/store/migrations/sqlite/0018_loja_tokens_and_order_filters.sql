-- Customer JWTs carry their customer's token generation (claim `gen`); a
-- password change bumps it, so every token issued before stops working
-- (docs/loja-extensions.md). Tokens without the claim count as 0.
ALTER TABLE customers ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;

-- order/findbyfilter returns the newest matching orders: with a status or a
-- payment method it walks one of these backwards from the newest order and
-- stops at the cap, instead of reading every order of the store.
CREATE INDEX orders_status ON orders (account_id, store_id, status, id);
CREATE INDEX orders_payment_method ON orders (account_id, store_id, payment_method, id);
