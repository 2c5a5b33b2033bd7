//! `/financial` on the wire (ecosys-auto-api.md §4.5): a record and
//! `GET /financial/summary`.

use chrono::NaiveDate;
use serde::Serialize;
use vitrine_core::financial::{self, PaymentMethod};
use vitrine_core::money::Money;
use vitrine_core::records::FinancialEntry;

use crate::{date, money, timestamp};

/// A financial record on the wire: every field, `null` where unset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FinancialOut {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    category: &'static str,
    description: Option<String>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    amount: Money,
    status: &'static str,
    payment_method: Option<&'static str>,
    due_date: Option<String>,
    paid_at: Option<String>,
    vehicle_id: Option<String>,
    deal_id: Option<String>,
    client_id: Option<String>,
    store_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<FinancialEntry> for FinancialOut {
    fn from(e: FinancialEntry) -> Self {
        let r = e.record;
        Self {
            id: e.id.to_string(),
            kind: r.kind.as_str(),
            category: r.category.as_str(),
            description: r.description,
            amount: r.amount,
            status: r.status.as_str(),
            payment_method: r.payment_method.map(PaymentMethod::as_str),
            due_date: r.due_date.map(date),
            paid_at: r.paid_at.map(timestamp),
            vehicle_id: r.vehicle_id.map(|v| v.to_string()),
            deal_id: r.deal_id.map(|d| d.to_string()),
            client_id: r.client_id.map(|c| c.to_string()),
            store_id: r.store_id.map(|s| s.to_string()),
            created_at: timestamp(e.created_at),
            updated_at: timestamp(e.updated_at),
        }
    }
}

/// Amounts per type on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ByTypeOut {
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    revenue: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expense: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    cost: Money,
}

impl From<financial::ByType> for ByTypeOut {
    fn from(t: financial::ByType) -> Self {
        Self {
            revenue: Money::from_total_cents(t.revenue),
            expense: Money::from_total_cents(t.expense),
            cost: Money::from_total_cents(t.cost),
        }
    }
}

/// The summary's period, echoed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodOut {
    from: Option<String>,
    to: Option<String>,
}

/// A category total.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryOut {
    #[serde(rename = "type")]
    kind: &'static str,
    category: &'static str,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    total: Money,
    count: i64,
}

/// The margin of one sold vehicle.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VehicleMarginOut {
    vehicle_id: String,
    title: String,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    purchase_price: Option<Money>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    sale_value: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expenses: Money,
    /// sale − purchase − expenses; `null` when it cannot be known (no
    /// purchase price: the sale is not all profit).
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    margin: Option<Money>,
    /// Why `margin` is `null` (`purchase_price_missing`); `null` when known.
    margin_unknown_reason: Option<&'static str>,
}

/// `GET /financial/summary` on the wire (§4.5 shape, plus `cancelled`,
/// `commissions` and `vehicles`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryOut {
    period: PeriodOut,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    revenue: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expense: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    cost: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    profit: Money,
    paid: ByTypeOut,
    pending: ByTypeOut,
    cancelled: ByTypeOut,
    by_category: Vec<CategoryOut>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    commissions: Money,
    vehicles: Vec<VehicleMarginOut>,
}

impl SummaryOut {
    /// The summary of the records due (or created) from `from` to `to`.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>, s: financial::Summary) -> Self {
        let m = Money::from_total_cents;
        Self {
            period: PeriodOut {
                from: from.map(date),
                to: to.map(date),
            },
            revenue: m(s.totals.revenue),
            expense: m(s.totals.expense),
            cost: m(s.totals.cost),
            profit: m(s.totals.profit()),
            paid: s.paid.into(),
            pending: s.pending.into(),
            cancelled: s.cancelled.into(),
            by_category: s
                .by_category
                .iter()
                .map(|c| CategoryOut {
                    kind: c.kind.as_str(),
                    category: c.category.as_str(),
                    total: m(c.cents),
                    count: c.count,
                })
                .collect(),
            commissions: m(s.commissions),
            vehicles: s
                .vehicles
                .into_iter()
                .map(|v| VehicleMarginOut {
                    vehicle_id: v.vehicle.vehicle_id.to_string(),
                    title: v.vehicle.title,
                    purchase_price: v.vehicle.purchase,
                    sale_value: m(v.vehicle.sale_cents),
                    expenses: m(v.vehicle.expenses_cents),
                    margin: v.margin.ok().map(m),
                    margin_unknown_reason: v.margin.err().map(|why| why.code()),
                })
                .collect(),
        }
    }
}
