//! Checkout (Loja E63 `POST cart/findcartbyhash`): the customer's open cart
//! becomes an order in one transaction.

use vitrine_core::ids::{CustomerId, ShopScope};
use vitrine_core::order::items_total;
use vitrine_core::promotions::{sales_discount, SaleLine, SaleRule};
use vitrine_store::categories::CategoryRef;
use vitrine_store::orders::OrderFields;
use vitrine_store::Tx;

use super::cart::{units, CartUnit};
use super::orders::{place_units, Placed, Wanted};
use super::Refusal;
use crate::{Error, Result};

/// What the face read for a checkout.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The signed-in customer.
    pub customer: CustomerId,
    /// The cart's hash, or `None` for the customer's open cart.
    pub hash: Option<String>,
    /// The order's fields as the face read them (status, payment,
    /// delivery…); the customer and the address are the customer's, the
    /// totals and the discount are computed here.
    pub fields: OrderFields,
    /// The store-local clock in the format the sales' dates are written in
    /// (`YYYY-MM-DD HH:MM:SS`), which decides the live sales.
    pub now_local: String,
}

/// Closes the customer's open cart (a second checkout of it finds it
/// closed: [`Refusal::CartNotFound`], as for another customer's, an
/// unknown or an empty cart), copies the customer's address into the
/// order (a customer gone since is [`Error::NotFound`]), refuses a cart
/// that cannot be summed ([`Refusal::TooLarge`]), gives the discount of the
/// store's best live sale and places the order ([`place_units`]: stock
/// taken and retained, inactive units refused).
pub async fn checkout(tx: &mut Tx, scope: ShopScope, c: Checkout) -> Result<Placed> {
    let not_found = || Error::Shop(Refusal::CartNotFound);
    let cart = match &c.hash {
        Some(hash) => tx.carts().open_by_hash(scope, hash).await?,
        None => tx.carts().open_of(scope, c.customer).await?,
    }
    .filter(|cart| cart.customer_id == c.customer)
    .ok_or_else(not_found)?;
    if !tx.carts().close(scope, cart.id).await? {
        return Err(not_found());
    }
    let lines = units(&mut tx.db(), scope, cart.id).await?;
    if lines.is_empty() {
        return Err(not_found());
    }
    let customer = tx.customers().get(scope, c.customer).await?;
    let a = &customer.fields;
    let mut fields = OrderFields {
        customer_id: customer.id,
        cep: a.cep.clone(),
        street: a.street.clone(),
        number: a.number.clone(),
        address_details: a.address_details.clone(),
        neighborhood: a.neighborhood.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        country: a.country.clone(),
        ..c.fields
    };
    items_total(lines.iter().map(CartUnit::total)).ok_or(Error::Shop(Refusal::TooLarge))?;
    fields.discount = discount(tx, scope, &lines, &c.now_local).await?;
    let wanted: Vec<Wanted<'_>> = lines
        .iter()
        .map(|l| Wanted {
            unit: &l.unit,
            quantity: l.line.quantity,
        })
        .collect();
    place_units(tx, scope, fields, &wanted).await
}

/// The discount of the store's best live sale for these lines (E37 data).
async fn discount(
    tx: &mut Tx,
    scope: ShopScope,
    lines: &[CartUnit],
    now_local: &str,
) -> Result<i64> {
    let rules: Vec<SaleRule> = tx
        .sales()
        .all(scope)
        .await?
        .into_iter()
        .map(|f| SaleRule {
            category_id: f.category_id,
            aplication: f.aplication,
            sale_type: f.sale_type,
            sale_value: f.sale_value,
            product_amount: f.product_amount,
            minimum_value_order: f.minimum_value_order,
            start_date: f.start_date,
            end_date: f.end_date,
            status: f.status,
        })
        .collect();
    if rules.is_empty() {
        return Ok(0);
    }
    let mut sale_lines = Vec::with_capacity(lines.len());
    for l in lines {
        let links = tx.categories().links_of(scope, l.unit.product.id).await?;
        sale_lines.push(SaleLine {
            categories: links
                .into_iter()
                .filter_map(|link| match link {
                    CategoryRef::Category(id) => Some(id),
                    CategoryRef::Subcategory(_) => None,
                })
                .collect(),
            quantity: l.line.quantity,
            // Summable: checked before the discount is asked for.
            total: l.total().unwrap_or(0),
        });
    }
    Ok(sales_discount(&rules, &sale_lines, now_local))
}
