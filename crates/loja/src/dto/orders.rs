//! Orders (§3.0 SH-Order, SH-OrderProduct; E29, E30, E63).

use serde::Serialize;
use utoipa::ToSchema;
use vitrine_core::ids::OrderId;
use vitrine_store::customers::Customer;
use vitrine_store::orders::{Order, OrderFields, OrderLine};
use vitrine_store::stock::Sellable;

use super::{EmptyObject, Flag, Int, LocalTime, Money, MoneyShort, Weight};

/// SH-OrderProduct (L2316–2330): the purchase-time snapshot plus the
/// current stock and measures of the unit bought (zeros once it is gone).
/// Grid lines add `variety`, `grid` and `grid_sku`; variation lines
/// `variety` and `variety_sku`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrderProduct {
    pub product_name: String,
    /// The parent product's SKU.
    pub sku: String,
    pub price: Money,
    pub promotional_price: Option<Money>,
    pub stock: Int,
    pub weight: Weight,
    pub height: Int,
    pub length: Int,
    pub width: Int,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub product_type: Int,
    pub quantity: Int,
    pub multiple: Flag,
    pub multiple_price: Option<Money>,
    /// The variety's name (grid and variation lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub variety: Option<String>,
    /// The grid's name (grid lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub grid: Option<String>,
    /// The grid's SKU (grid lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub grid_sku: Option<String>,
    /// The variation's SKU (variation lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub variety_sku: Option<String>,
}

/// `(stock, weight, height, length, width)` of a unit as it is now.
fn measures(unit: Option<&Sellable>) -> (i64, i64, i64, i64, i64) {
    let Some(u) = unit else {
        return (0, 0, 0, 0, 0);
    };
    match (&u.variation, &u.grid) {
        (Some(v), _) => (
            v.unit.stock,
            v.unit.weight,
            v.unit.height,
            v.unit.length,
            v.unit.width,
        ),
        (_, Some(g)) => (
            g.unit.stock,
            g.unit.weight,
            g.unit.height,
            g.unit.length,
            g.unit.width,
        ),
        _ => {
            let f = &u.product.fields;
            (f.stock, f.weight, f.height, f.length, f.width)
        }
    }
}

impl OrderProduct {
    /// A line with the unit it sold as it is now (`None` once deleted).
    pub(crate) fn new(l: &OrderLine, unit: Option<&Sellable>) -> Self {
        let (stock, weight, height, length, width) = measures(unit);
        let (mut variety, mut grid, mut grid_sku, mut variety_sku) = (None, None, None, None);
        if !l.grid_sku.is_empty() {
            variety = Some(l.variety.clone());
            grid = Some(l.grid.clone());
            grid_sku = Some(l.grid_sku.clone());
        } else if !l.variety_sku.is_empty() {
            variety = Some(l.variety.clone());
            variety_sku = Some(l.variety_sku.clone());
        }
        Self {
            product_name: l.product_name.clone(),
            sku: l.sku.clone(),
            price: Money(l.price),
            promotional_price: l.promotional_price.map(Money),
            stock: Int(stock),
            weight: Weight(weight),
            height: Int(height),
            length: Int(length),
            width: Int(width),
            product_type: l.line_type.into(),
            quantity: Int(l.quantity),
            multiple: Flag(l.multiple),
            multiple_price: l.multiple_price.map(Money),
            variety,
            grid,
            grid_sku,
            variety_sku,
        }
    }
}

/// An order's delivery address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrderAddress {
    pub cep: String,
    pub street: String,
    pub number: String,
    pub address_details: String,
    pub neighborhood: String,
    pub city: String,
    pub state: String,
    pub country: String,
}

/// An order's `customer`: the customer record as it is now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrderCustomer {
    pub name: String,
    /// 1 PF, 2 PJ.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub customer_type: Int,
    pub company_name: String,
    pub cpf: String,
    pub rg: String,
    pub cnpj: String,
    pub gender: String,
    pub birth_date: String,
    pub establish_date: Option<String>,
    pub cellphone: String,
    pub telephone: String,
    pub email: String,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub address_details: String,
    pub neighborhood: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub note: String,
    pub status: Flag,
}

impl From<&Customer> for OrderCustomer {
    fn from(c: &Customer) -> Self {
        let f = &c.fields;
        Self {
            name: f.name.clone(),
            customer_type: Int(i64::from(f.customer_type)),
            company_name: f.company_name.clone(),
            cpf: f.cpf.clone(),
            rg: f.rg.clone(),
            cnpj: f.cnpj.clone(),
            gender: f.gender.clone(),
            birth_date: f.birth_date.clone(),
            establish_date: f.establish_date.clone(),
            cellphone: f.cellphone.clone(),
            telephone: f.telephone.clone(),
            email: f.email.clone(),
            cep: f.cep.clone(),
            street: f.street.clone(),
            number: f.number.clone(),
            address_details: f.address_details.clone(),
            neighborhood: f.neighborhood.clone(),
            city: f.city.clone(),
            state: f.state.clone(),
            country: f.country.clone(),
            note: f.note.clone(),
            status: Flag(f.status),
        }
    }
}

/// The order's customer, or `{}` once the customer is gone.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
#[expect(
    clippy::large_enum_variant,
    reason = "a response value, built and serialised at once: boxing buys nothing"
)]
pub(crate) enum CustomerOrGone {
    /// The customer.
    Customer(OrderCustomer),
    /// `{}`.
    Gone(EmptyObject),
}

/// SH-Order (L2263–2333). `order/findbyfilter` items add `id` after `error`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrderOut {
    pub value: MoneyShort,
    /// 1 to 10.
    pub status: Int,
    pub payment_method: Int,
    pub payment_mode: Int,
    pub discount: Money,
    pub date: LocalTime,
    pub shipping: Money,
    pub estimated_delivery: String,
    pub tracking_code: String,
    pub tracking_link: String,
    pub note: String,
    pub delivery_note: String,
    /// The shipping method's name, or `null`.
    pub delivery_type: Option<String>,
    pub installments: Int,
    pub value_installments: Money,
    pub currency: String,
    pub currency_symbol: String,
    pub order_address: OrderAddress,
    pub customer: CustomerOrGone,
    pub products: Vec<OrderProduct>,
    /// Problems of this order; `[]`.
    pub error: Vec<String>,
    /// `order/findbyfilter` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub id: Option<Int>,
}

impl OrderOut {
    /// The order with its customer and lines; `with_id` for E30.
    pub(crate) fn new(
        order: &Order,
        customer: Option<&Customer>,
        products: Vec<OrderProduct>,
        with_id: bool,
    ) -> Self {
        let f = &order.fields;
        Self {
            value: MoneyShort(f.value),
            status: Int(i64::from(f.status)),
            payment_method: Int(f.payment_method),
            payment_mode: Int(f.payment_mode),
            discount: Money(f.discount),
            date: LocalTime(f.date),
            shipping: Money(f.shipping),
            estimated_delivery: f.estimated_delivery.clone(),
            tracking_code: f.tracking_code.clone(),
            tracking_link: f.tracking_link.clone(),
            note: f.note.clone(),
            delivery_note: f.delivery_note.clone(),
            delivery_type: f.delivery_name.clone(),
            installments: Int(f.installments),
            value_installments: Money(f.value_installments),
            currency: f.currency.clone(),
            currency_symbol: f.currency_symbol.clone(),
            order_address: OrderAddress {
                cep: f.cep.clone(),
                street: f.street.clone(),
                number: f.number.clone(),
                address_details: f.address_details.clone(),
                neighborhood: f.neighborhood.clone(),
                city: f.city.clone(),
                state: f.state.clone(),
                country: f.country.clone(),
            },
            customer: customer.map_or(CustomerOrGone::Gone(EmptyObject), |c| {
                CustomerOrGone::Customer(c.into())
            }),
            products,
            error: Vec::new(),
            id: with_id.then(|| order.id.into()),
        }
    }
}

/// E63's `order` (the corrected example, L4469–4589). The doc's key
/// `estimated delivery` has a space; both spellings are written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PlacedOrder {
    pub id: Int,
    pub customer_id: Int,
    pub date: LocalTime,
    pub value: MoneyShort,
    pub status: Int,
    pub payment_method: Int,
    pub payment_mode: Int,
    pub discount: Money,
    pub installments: Int,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub address_details: String,
    pub neighborhood: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub note: String,
    pub delivery_note: String,
    pub shipping: Money,
    pub estimated_delivery: String,
    #[serde(rename = "estimated delivery")]
    #[schema(rename = "estimated delivery")]
    pub estimated_delivery_spaced: String,
    pub tracking_code: String,
    pub tracking_link: String,
    /// 2 pickup, 3 delivery, as sent.
    pub delivery_type: String,
    pub delivery_code: String,
}

impl PlacedOrder {
    pub(crate) fn new(id: OrderId, f: &OrderFields) -> Self {
        Self {
            id: id.into(),
            customer_id: f.customer_id.into(),
            date: LocalTime(f.date),
            value: MoneyShort(f.value),
            status: Int(i64::from(f.status)),
            payment_method: Int(f.payment_method),
            payment_mode: Int(f.payment_mode),
            discount: Money(f.discount),
            installments: Int(f.installments),
            cep: f.cep.clone(),
            street: f.street.clone(),
            number: f.number.clone(),
            address_details: f.address_details.clone(),
            neighborhood: f.neighborhood.clone(),
            city: f.city.clone(),
            state: f.state.clone(),
            country: f.country.clone(),
            note: f.note.clone(),
            delivery_note: f.delivery_note.clone(),
            shipping: Money(f.shipping),
            estimated_delivery: f.estimated_delivery.clone(),
            estimated_delivery_spaced: f.estimated_delivery.clone(),
            tracking_code: f.tracking_code.clone(),
            tracking_link: f.tracking_link.clone(),
            delivery_type: f.delivery_type_code.clone(),
            delivery_code: f.delivery_code.clone(),
        }
    }
}

/// E63 `POST cart/findcartbyhash`: the cart became this order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrderPlaced {
    /// `"Pedido finalizado com sucesso!"`.
    pub message: &'static str,
    pub order: PlacedOrder,
}
