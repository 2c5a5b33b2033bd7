//! Carts and customers (§3.0 SH-CartProduct; E64, E65 and the cart and
//! customer extensions).

use serde::Serialize;
use utoipa::ToSchema;
use vitrine_store::carts::{Cart, CartLine};
use vitrine_store::customers::Customer;
use vitrine_store::stock::Sellable;
use vitrine_store::variations::{ProductGrid, Variation};

use super::{or_empty, Flag, Int, LocalTime, Money, MoneyShort, Total, Weight};
use crate::wire::ImageUrls;

/// A cart line's product variation (type 4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CartVariety {
    /// The global variety.
    pub variety_id: Int,
    pub sku: String,
    pub name: String,
    pub price: MoneyShort,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
    pub product_id: Int,
    /// The product variation's row.
    pub configurable_product_id: Int,
}

impl From<&Variation> for CartVariety {
    fn from(v: &Variation) -> Self {
        let u = &v.unit;
        Self {
            variety_id: v.variety_id.into(),
            sku: u.sku.clone(),
            name: v.variety_name.clone(),
            price: MoneyShort(u.price),
            promotional_price: Money(u.promotional_price),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
            product_id: v.product_id.into(),
            configurable_product_id: v.id.into(),
        }
    }
}

or_empty!(
    /// A cart line's variation, `[]` but for type 4.
    CartVarietyOrEmpty(CartVariety)
);

/// A cart line's product grid (type 3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CartGrid {
    /// The global grid.
    pub grid_id: Int,
    /// The global variety.
    pub variety_id: Int,
    pub sku: String,
    pub variety_name: String,
    pub grid_name: String,
    pub price: Money,
    pub promotional_price: Money,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    pub status: Flag,
    pub product_id: Int,
    /// The product grid's row.
    pub grid_product_id: Int,
}

impl From<&ProductGrid> for CartGrid {
    fn from(g: &ProductGrid) -> Self {
        let u = &g.unit;
        Self {
            grid_id: g.grid_id.into(),
            variety_id: g.variety_id.into(),
            sku: u.sku.clone(),
            variety_name: g.variety_name.clone(),
            grid_name: g.grid_name.clone(),
            price: Money(u.price),
            promotional_price: Money(u.promotional_price),
            stock: Int(u.stock),
            weight: Weight(u.weight),
            height: Int(u.height),
            length: Int(u.length),
            width: Int(u.width),
            status: Flag(u.status),
            product_id: g.product_id.into(),
            grid_product_id: g.id.into(),
        }
    }
}

/// SH-CartProduct (L4621–4645): `variety` is `[]` but for type 4; type 3
/// adds `grid` after it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CartProduct {
    /// The product.
    pub id: Int,
    /// The cart line.
    pub cart_p_id: Int,
    pub name: String,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
    /// The product's status.
    pub status: Flag,
    pub quantity: Int,
    pub variety: CartVarietyOrEmpty,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub grid: Option<CartGrid>,
    /// The URL of the product's main image, `""` if none.
    pub product_images: String,
    /// Effective unit price × quantity, a JSON number.
    pub stipulated_price: f64,
}

impl CartProduct {
    /// The line with its unit as it is now; `total` in centavos.
    pub(crate) fn new(
        urls: &ImageUrls,
        line: &CartLine,
        unit: &Sellable,
        image: &str,
        total: i64,
    ) -> Self {
        let p = &unit.product;
        Self {
            id: p.id.into(),
            cart_p_id: line.id.into(),
            name: p.fields.name.clone(),
            product_type: p.product_type.into(),
            status: Flag(p.fields.status),
            quantity: Int(line.quantity),
            variety: unit.variation.as_ref().map(CartVariety::from).into(),
            grid: unit.grid.as_ref().map(CartGrid::from),
            product_images: urls.url(image),
            stipulated_price: vitrine_core::order::cents_to_f64(total),
        }
    }
}

/// E64 `GET cart/findcartbyhash` and the cart extensions: the cart, its
/// lines and their total.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CartOut {
    pub id: Int,
    pub hash: String,
    /// The customer.
    pub user_id: Int,
    pub date_register: LocalTime,
    pub products: Vec<CartProduct>,
    pub price: Total,
}

impl CartOut {
    pub(crate) fn new(cart: &Cart, products: Vec<CartProduct>, total: i64) -> Self {
        Self {
            id: cart.id.into(),
            hash: cart.hash.clone(),
            user_id: cart.customer_id.into(),
            date_register: LocalTime(cart.date_register),
            products,
            price: Total(total),
        }
    }
}

/// E65 with `Min`: the customer and a fresh JWT.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBrief {
    pub id: Int,
    pub name: String,
    pub email: String,
    /// A JWT for the cart endpoints.
    pub token: String,
}

/// E65 without `Min`: the profile and the open cart too.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct LoginFull {
    pub id: Int,
    pub name: String,
    pub email: String,
    /// A JWT for the cart endpoints.
    pub token: String,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub address_details: String,
    pub neighborhood: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub cellphone: String,
    pub telephone: String,
    /// The open cart's hash, `""` without one.
    pub hash_cart: String,
    pub products_cart: Vec<CartProduct>,
    /// Units in the cart, a JSON integer.
    pub total_quantity: i64,
    pub price: Total,
}

impl LoginBrief {
    pub(crate) fn new(c: &Customer, token: String) -> Self {
        Self {
            id: c.id.into(),
            name: c.fields.name.clone(),
            email: c.fields.email.clone(),
            token,
        }
    }
}

impl LoginFull {
    /// The brief answer with the profile and the open cart.
    pub(crate) fn new(
        c: &Customer,
        token: String,
        hash_cart: String,
        products_cart: Vec<CartProduct>,
        total_quantity: i64,
        total: i64,
    ) -> Self {
        let f = &c.fields;
        Self {
            id: c.id.into(),
            name: f.name.clone(),
            email: f.email.clone(),
            token,
            cep: f.cep.clone(),
            street: f.street.clone(),
            number: f.number.clone(),
            address_details: f.address_details.clone(),
            neighborhood: f.neighborhood.clone(),
            city: f.city.clone(),
            state: f.state.clone(),
            country: f.country.clone(),
            cellphone: f.cellphone.clone(),
            telephone: f.telephone.clone(),
            hash_cart,
            products_cart,
            total_quantity,
            price: Total(total),
        }
    }
}

/// E65 `client/clientlogin`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
#[expect(
    clippy::large_enum_variant,
    reason = "a response value, built and serialised at once: boxing buys nothing"
)]
pub(crate) enum LoginOut {
    /// `Min` = 1.
    Brief(LoginBrief),
    /// Otherwise.
    Full(LoginFull),
}

/// `client/changepassword`: a fresh JWT.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TokenOut {
    pub token: String,
}
