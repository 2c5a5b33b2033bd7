//! Orders, their lines and the stock they retain (ecommloja-api.md §3.3,
//! E23, E63). Status changes lock the order row first (`FOR UPDATE` on
//! PostgreSQL; SQLite's write transaction is already exclusive), so two
//! nodes cannot both consume, release or restock the same order.

use chrono::{DateTime, Utc};
use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{
    CustomerId, OrderId, ProductGridId, ProductId, RetentionId, ShopScope, VariationId,
};
use vitrine_core::order::StockEffect;

use crate::backend::on_db;
use crate::counters::next_id;
use crate::filter::{bind_all, Bind, Where};
use crate::stock::UnitRef;
use crate::{Db, Result, Tx};

/// An order's fields as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct OrderFields {
    /// Customer.
    pub customer_id: CustomerId,
    /// Placed at.
    pub date: DateTime<Utc>,
    /// Σ line totals, centavos.
    pub items_total: i64,
    /// Shipping, centavos.
    pub shipping: i64,
    /// Discount, centavos.
    pub discount: i64,
    /// items + shipping − discount, centavos.
    pub value: i64,
    /// Status code 1–10.
    pub status: i16,
    /// Payment method code.
    pub payment_method: i64,
    /// Payment mode code (0, 2, 4).
    pub payment_mode: i64,
    /// Estimated delivery, free text.
    pub estimated_delivery: String,
    /// Tracking code.
    pub tracking_code: String,
    /// Tracking link.
    pub tracking_link: String,
    /// Note.
    pub note: String,
    /// Delivery note.
    pub delivery_note: String,
    /// 2 pickup, 3 delivery (E63), as sent.
    pub delivery_type_code: String,
    /// Shipping-method name, if any.
    pub delivery_name: Option<String>,
    /// Freight code.
    pub delivery_code: String,
    /// Instalments.
    pub installments: i64,
    /// Value of one instalment, centavos.
    pub value_installments: i64,
    /// `BRL`.
    pub currency: String,
    /// `R$`.
    pub currency_symbol: String,
    /// Delivery address: CEP.
    pub cep: String,
    /// Street.
    pub street: String,
    /// Number.
    pub number: String,
    /// Complement.
    pub address_details: String,
    /// Neighbourhood.
    pub neighborhood: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// Country.
    pub country: String,
    /// Customer IP.
    pub client_ip: String,
    /// Card brand.
    pub card_brand: String,
    /// Last four digits of the card (never the full number).
    pub card_last4: String,
    /// Name on the card.
    pub card_name: String,
    /// Boleto link.
    pub link_boleto: String,
    /// Pix link.
    pub link_pix: String,
    /// Change for cash payment.
    pub troco: String,
    /// Wedding-list flag as sent.
    pub wedding_list: String,
    /// `app` (checkout) or the channel named by `order/insert`.
    pub channel: String,
}

/// A stored order.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Order {
    /// Per-store id.
    pub id: OrderId,
    /// Its fields.
    #[sqlx(flatten)]
    pub fields: OrderFields,
}

/// An order line: a snapshot taken at purchase.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderLine {
    /// Order (ignored on insert: the order being written).
    pub order_id: OrderId,
    /// Main product.
    pub product_id: Option<ProductId>,
    /// Variation bought.
    pub variation_id: Option<VariationId>,
    /// Grid bought.
    pub grid_id: Option<ProductGridId>,
    /// Product name.
    pub product_name: String,
    /// Parent product SKU.
    pub sku: String,
    /// Variety name (type 3 and 4).
    pub variety: String,
    /// Variation SKU (type 4).
    pub variety_sku: String,
    /// Grid name (type 3).
    pub grid: String,
    /// Grid SKU (type 3).
    pub grid_sku: String,
    /// The product's type.
    #[sqlx(try_from = "i16")]
    pub line_type: ProductType,
    /// Unit price, centavos.
    pub price: i64,
    /// Unit promotional price, centavos.
    pub promotional_price: Option<i64>,
    /// Units.
    pub quantity: i64,
    /// Sold in multiples.
    pub multiple: bool,
    /// Price of a multiple, centavos.
    pub multiple_price: Option<i64>,
}

/// What `order/findbyfilter` selects by (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Placed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub until: Option<DateTime<Utc>>,
    /// Exact status.
    pub status: Option<i16>,
    /// Exact payment method.
    pub payment_method: Option<i64>,
    /// Only orders with a smaller id: the page before one already read
    /// (an extension, docs/loja-extensions.md).
    pub before_id: Option<OrderId>,
}

impl OrderFilter {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What the panel's order list selects by (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderSearch {
    /// Placed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub until: Option<DateTime<Utc>>,
    /// Exact status.
    pub status: Option<i16>,
    /// Part of the customer's name or e-mail, any case.
    pub customer: Option<String>,
}

/// A row of the panel's order list: the order and its customer's name and e-mail.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderSummary {
    /// Per-store id.
    pub id: OrderId,
    /// Placed at.
    pub date: DateTime<Utc>,
    /// Status code 1–10.
    pub status: i16,
    /// Order value, centavos.
    pub value: i64,
    /// Customer.
    pub customer_id: CustomerId,
    /// Customer name (`""` if the customer is gone).
    pub customer_name: String,
    /// Customer e-mail (`""` if the customer is gone).
    pub customer_email: String,
}

/// Applies a status change's stock effect (E23): consumed retention
/// records are dropped; released ones give their units back first; a
/// restock gives back the units of the order's lines (a sold order holds
/// no records any more). Units go back in `UnitRef` order, as checkout
/// takes them (no lock cycles). A unit deleted since is simply not found:
/// nothing to give back. The caller holds the order's lock
/// ([`Orders::lock_status`]) or has just written the order, so each
/// effect happens once. The use cases that change an order's status
/// (`vitrine_app::shop::orders`) are its callers.
pub async fn apply_stock_effect(
    tx: &mut Tx,
    scope: ShopScope,
    order_id: OrderId,
    effect: StockEffect,
) -> Result<()> {
    let units: Vec<(UnitRef, i64)> = match effect {
        StockEffect::None => return Ok(()),
        StockEffect::Consume => Vec::new(),
        StockEffect::Release => tx
            .orders()
            .held_by(scope, order_id)
            .await?
            .into_iter()
            .filter_map(|h| h.unit().map(|unit| (unit, h.stock)))
            .collect(),
        StockEffect::Restock => tx
            .orders()
            .lines_of(scope, &[order_id])
            .await?
            .iter()
            .filter_map(|l| l.unit().map(|unit| (unit, l.quantity)))
            .collect(),
    };
    for (unit, quantity) in merged(units) {
        tx.stock().give_back(scope, unit, quantity).await?;
    }
    tx.orders().drop_held(scope, order_id).await
}

/// Quantities per unit, in `UnitRef` order, one entry per unit.
fn merged(mut units: Vec<(UnitRef, i64)>) -> Vec<(UnitRef, i64)> {
    units.sort_unstable();
    let mut out: Vec<(UnitRef, i64)> = Vec::with_capacity(units.len());
    for (unit, quantity) in units {
        match out.last_mut() {
            Some((last, sum)) if *last == unit => *sum = sum.saturating_add(quantity),
            _ => out.push((unit, quantity)),
        }
    }
    out
}

impl OrderLine {
    /// The unit the line sold, if the line names one.
    pub fn unit(&self) -> Option<UnitRef> {
        match (self.variation_id, self.grid_id, self.product_id) {
            (Some(v), _, _) => Some(UnitRef::Variation(v)),
            (_, Some(g), _) => Some(UnitRef::Grid(g)),
            (_, _, Some(p)) => Some(UnitRef::Product(p)),
            _ => None,
        }
    }
}

/// One held quantity of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    /// Record id.
    pub id: RetentionId,
    /// Main product.
    pub product_id: Option<ProductId>,
    /// Variation.
    pub variation_id: Option<VariationId>,
    /// Grid.
    pub grid_id: Option<ProductGridId>,
    /// Quantity.
    pub stock: i64,
}

impl Held {
    /// The unit whose stock is held, if the record names one.
    pub fn unit(&self) -> Option<UnitRef> {
        match (self.variation_id, self.grid_id, self.product_id) {
            (Some(v), _, _) => Some(UnitRef::Variation(v)),
            (_, Some(g), _) => Some(UnitRef::Grid(g)),
            (_, _, Some(p)) => Some(UnitRef::Product(p)),
            _ => None,
        }
    }
}

const ORDER_COLUMNS: &str = "id, customer_id, date, items_total, shipping, discount, value, status, payment_method, \
    payment_mode, estimated_delivery, tracking_code, tracking_link, note, delivery_note, delivery_type_code, \
    delivery_name, delivery_code, installments, value_installments, currency, currency_symbol, cep, street, number, \
    address_details, neighborhood, city, state, country, client_ip, card_brand, card_last4, card_name, link_boleto, \
    link_pix, troco, wedding_list, channel";

const LINE_COLUMNS: &str = "order_id, product_id, variation_id, grid_id, product_name, sku, variety, variety_sku, \
    grid, grid_sku, type AS line_type, price, promotional_price, quantity, multiple, multiple_price";

/// The most orders a filtered `order/findbyfilter` returns.
pub const FILTER_CAP: i64 = 500;
/// How many recent orders an unfiltered `order/findbyfilter` returns.
pub const RECENT: i64 = 50;

/// Repository of orders.
pub struct Orders<'c>(pub(crate) Db<'c>);

impl Orders<'_> {
    /// Writes an order and its lines; returns its id.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        f: &OrderFields,
        lines: &[OrderLine],
    ) -> Result<OrderId> {
        let id = OrderId(next_id(&mut self.0, scope, "orders").await?);
        let placeholders = (1..=41).map(|n| format!("${n}")).collect::<Vec<_>>();
        let sql = format!(
            "INSERT INTO orders (account_id, store_id, {ORDER_COLUMNS}) VALUES ({})",
            placeholders.join(", ")
        );
        on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(f.customer_id).bind(f.date).bind(f.items_total)
            .bind(f.shipping).bind(f.discount).bind(f.value).bind(f.status).bind(f.payment_method)
            .bind(f.payment_mode).bind(&f.estimated_delivery).bind(&f.tracking_code).bind(&f.tracking_link)
            .bind(&f.note).bind(&f.delivery_note).bind(&f.delivery_type_code).bind(&f.delivery_name)
            .bind(&f.delivery_code).bind(f.installments).bind(f.value_installments).bind(&f.currency)
            .bind(&f.currency_symbol).bind(&f.cep).bind(&f.street).bind(&f.number).bind(&f.address_details)
            .bind(&f.neighborhood).bind(&f.city).bind(&f.state).bind(&f.country).bind(&f.client_ip)
            .bind(&f.card_brand).bind(&f.card_last4).bind(&f.card_name).bind(&f.link_boleto).bind(&f.link_pix)
            .bind(&f.troco).bind(&f.wedding_list).bind(&f.channel)
            .execute(c).await.map(|r| r.rows_affected()))?;
        for l in lines {
            let line_id = next_id(&mut self.0, scope, "order_lines").await?;
            let sql = "INSERT INTO order_lines (account_id, store_id, id, order_id, product_id, variation_id, grid_id, \
                       product_name, sku, variety, variety_sku, grid, grid_sku, type, price, promotional_price, quantity, \
                       multiple, multiple_price) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
            on_db!(self.0, c => sqlx::query(sql)
                .bind(scope.account.0).bind(scope.store.0).bind(line_id).bind(id).bind(l.product_id).bind(l.variation_id)
                .bind(l.grid_id).bind(&l.product_name).bind(&l.sku).bind(&l.variety).bind(&l.variety_sku)
                .bind(&l.grid).bind(&l.grid_sku).bind(l.line_type.code()).bind(l.price).bind(l.promotional_price)
                .bind(l.quantity).bind(l.multiple).bind(l.multiple_price)
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(id)
    }

    /// One order; `NotFound` when the store has none with this id.
    pub async fn get(&mut self, scope: ShopScope, id: OrderId) -> Result<Order> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?)
    }

    /// The order's status, locking the row until the transaction ends
    /// (PostgreSQL `FOR UPDATE`; a SQLite write transaction is exclusive).
    pub async fn lock_status(&mut self, scope: ShopScope, id: OrderId) -> Result<Option<i16>> {
        let base = "SELECT status FROM orders WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let found: Option<(i16,)> = match self.0 {
            Db::Sqlite(ref mut c) => {
                sqlx::query_as(base)
                    .bind(scope.account.0)
                    .bind(scope.store.0)
                    .bind(id)
                    .fetch_optional(&mut **c)
                    .await?
            }
            Db::Postgres(ref mut c) => {
                sqlx::query_as(&format!("{base} FOR UPDATE"))
                    .bind(scope.account.0)
                    .bind(scope.store.0)
                    .bind(id)
                    .fetch_optional(&mut **c)
                    .await?
            }
        };
        Ok(found.map(|(s,)| s))
    }

    /// Sets an order's status.
    pub async fn set_status(&mut self, scope: ShopScope, id: OrderId, status: i16) -> Result<()> {
        let sql =
            "UPDATE orders SET status = $4 WHERE account_id = $1 AND store_id = $2 AND id = $3";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(status)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Orders matching `filter`: the newest [`FILTER_CAP`] (highest ids),
    /// returned by ascending id; with no filter, the [`RECENT`] most recent,
    /// likewise. Each query walks an index backwards from the newest order
    /// (the primary key, or `orders_status` / `orders_payment_method` of
    /// migration 0018 for those filters) and stops at the cap, so a page
    /// costs its own rows, not the store's order count.
    pub async fn filter(&mut self, scope: ShopScope, filter: &OrderFilter) -> Result<Vec<Order>> {
        let limit = if filter.is_empty() {
            RECENT
        } else {
            FILTER_CAP
        };
        // Only the conditions sent, so each can use its index.
        let mut w = Where::tenant("o", scope.account.0);
        let p = w.arg(Bind::Uuid(scope.store.0));
        w.and(&format!("o.store_id = {p}"));
        w.cmp("o.date", ">=", filter.from.map(Bind::Time));
        w.cmp("o.date", "<", filter.until.map(Bind::Time));
        w.cmp(
            "o.status",
            "=",
            filter.status.map(|s| Bind::Int(i64::from(s))),
        );
        w.cmp(
            "o.payment_method",
            "=",
            filter.payment_method.map(Bind::Int),
        );
        w.cmp("o.id", "<", filter.before_id.map(|id| Bind::Int(id.0)));
        let limit = w.arg(Bind::Int(limit));
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders o WHERE {} ORDER BY o.id DESC LIMIT {limit}",
            w.sql()
        );
        let mut newest: Vec<Order> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), w.binds.clone()).fetch_all(c).await)?;
        newest.reverse();
        Ok(newest)
    }

    /// One page of the store's orders for the panel, newest first, with
    /// their customers' names; `limit + 1` rows tell whether a next page exists.
    pub async fn search(
        &mut self,
        scope: ShopScope,
        search: &OrderSearch,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OrderSummary>> {
        let customer = search
            .customer
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| format!("%{}%", c.to_lowercase().replace(['%', '_', '\\'], "")));
        // Absent filters bind NULL and match everything.
        let sql = "SELECT o.id, o.date, o.status, o.value, o.customer_id, \
                   COALESCE(c.name, '') AS customer_name, COALESCE(c.email, '') AS customer_email \
                   FROM orders o LEFT JOIN customers c \
                   ON c.account_id = o.account_id AND c.store_id = o.store_id AND c.id = o.customer_id \
                   WHERE o.account_id = $1 AND o.store_id = $2 \
                   AND ($3 IS NULL OR o.date >= $3) AND ($4 IS NULL OR o.date < $4) \
                   AND ($5 IS NULL OR o.status = $5) \
                   AND ($6 IS NULL OR LOWER(c.name) LIKE $6 OR LOWER(c.email) LIKE $6) \
                   ORDER BY o.id DESC LIMIT $7 OFFSET $8";
        Ok(on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(search.from).bind(search.until).bind(search.status)
            .bind(&customer).bind(limit).bind(offset).fetch_all(c).await)?)
    }

    /// How many orders [`Orders::search`] matches in all (the panel's total).
    pub async fn count(&mut self, scope: ShopScope, search: &OrderSearch) -> Result<i64> {
        let customer = search
            .customer
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| format!("%{}%", c.to_lowercase().replace(['%', '_', '\\'], "")));
        let sql = "SELECT COUNT(*) FROM orders o LEFT JOIN customers c \
                   ON c.account_id = o.account_id AND c.store_id = o.store_id AND c.id = o.customer_id \
                   WHERE o.account_id = $1 AND o.store_id = $2 \
                   AND ($3 IS NULL OR o.date >= $3) AND ($4 IS NULL OR o.date < $4) \
                   AND ($5 IS NULL OR o.status = $5) \
                   AND ($6 IS NULL OR LOWER(c.name) LIKE $6 OR LOWER(c.email) LIKE $6)";
        Ok(on_db!(self.0, c => sqlx::query_scalar(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(search.from).bind(search.until).bind(search.status)
            .bind(&customer).fetch_one(c).await)?)
    }

    /// The lines of these orders, by order then line id.
    pub async fn lines_of(
        &mut self,
        scope: ShopScope,
        order_ids: &[OrderId],
    ) -> Result<Vec<OrderLine>> {
        let mut out = Vec::new();
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM order_lines WHERE account_id = $1 AND store_id = $2 AND order_id = $3 ORDER BY id"
        );
        for id in order_ids {
            let lines: Vec<OrderLine> = on_db!(self.0, c => sqlx::query_as(&sql)
                .bind(scope.account.0).bind(scope.store.0).bind(*id).fetch_all(c).await)?;
            out.extend(lines);
        }
        Ok(out)
    }

    /// The quantities an order holds.
    pub async fn held_by(&mut self, scope: ShopScope, order_id: OrderId) -> Result<Vec<Held>> {
        let sql = "SELECT id, product_id, variation_id, grid_id, stock FROM stock_retentions \
                   WHERE account_id = $1 AND store_id = $2 AND order_id = $3 ORDER BY id";
        Ok(on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(order_id).fetch_all(c).await)?)
    }

    /// Drops an order's retention records (consumed or released).
    pub async fn drop_held(&mut self, scope: ShopScope, order_id: OrderId) -> Result<()> {
        let sql =
            "DELETE FROM stock_retentions WHERE account_id = $1 AND store_id = $2 AND order_id = $3";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(order_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
