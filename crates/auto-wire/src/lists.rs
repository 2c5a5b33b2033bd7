//! What the Auto API's lists read from their query (§3.7, §4.1–§4.5): each
//! resource's filters and the fields it sorts by. The panel's lists read
//! the same parameters through these functions.

use vitrine_core::activity::ActivityStatus;
use vitrine_core::client::{ClientStatus, ClientType, Segment};
use vitrine_core::deal::{DealPhase, DealStatus};
use vitrine_core::filters::{
    ActivityFilter, ActivitySort, ClientFilter, ClientSort, DealFilter, DealSort, FinancialFilter,
    FinancialSort, VehicleFilter, VehicleSort,
};
use vitrine_core::financial::{Category, FinancialStatus, PaymentMethod, RecordType};
use vitrine_core::ids::{ClientId, DealId, StoreId, VehicleId};
use vitrine_core::vehicle::{VehiclePhase, VehicleStatus};

use crate::query::ListQuery;

/// The `sort` fields of `GET /clients`.
pub const CLIENT_SORTS: [(&str, ClientSort); 6] = [
    ("created_at", ClientSort::CreatedAt),
    ("updated_at", ClientSort::UpdatedAt),
    ("name", ClientSort::Name),
    ("email", ClientSort::Email),
    ("segment", ClientSort::Segment),
    ("status", ClientSort::Status),
];

/// The filters of `GET /clients` (§4.1) read from its query.
pub fn client_filter(q: &mut ListQuery) -> ClientFilter {
    ClientFilter {
        kind: q.parsed("type", ClientType::parse),
        status: q.parsed("status", ClientStatus::parse),
        segment: q.parsed("segment", Segment::parse),
        store_id: q.id::<StoreId>("store_id"),
        search: q.search(),
    }
}

/// The `sort` fields of `GET /vehicles`.
pub const VEHICLE_SORTS: [(&str, VehicleSort); 7] = [
    ("created_at", VehicleSort::CreatedAt),
    ("updated_at", VehicleSort::UpdatedAt),
    ("price", VehicleSort::Price),
    ("year_model", VehicleSort::YearModel),
    ("mileage", VehicleSort::Mileage),
    ("title", VehicleSort::Title),
    ("brand", VehicleSort::Brand),
];

/// The filters of `GET /vehicles` (§4.2) read from its query; the panel's
/// vehicle list reads the same parameters through this function.
pub fn vehicle_filter(q: &mut ListQuery) -> VehicleFilter {
    VehicleFilter {
        status: q.parsed("status", VehicleStatus::parse),
        phase: q.parsed("phase", VehiclePhase::parse),
        brand: q.text("brand"),
        model: q.text("model"),
        fuel: q.text("fuel").map(|f| f.to_lowercase()),
        transmission: q.text("transmission").map(|t| t.to_lowercase()),
        color: q.text("color"),
        year_min: q.int("year_min"),
        year_max: q.int("year_max"),
        price_min: q.money("price_min"),
        price_max: q.money("price_max"),
        store_id: q.id::<StoreId>("store_id"),
        client_id: q.id::<ClientId>("client_id"),
        search: q.search(),
    }
}

/// The `sort` fields of `GET /deals`.
pub const DEAL_SORTS: [(&str, DealSort); 7] = [
    ("created_at", DealSort::CreatedAt),
    ("updated_at", DealSort::UpdatedAt),
    ("title", DealSort::Title),
    ("value", DealSort::Value),
    ("phase", DealSort::Phase),
    ("probability", DealSort::Probability),
    ("expected_close_date", DealSort::ExpectedCloseDate),
];

/// The filters of `GET /deals` (§4.3) read from its query; `from` and `to`
/// are days of creation, `to` inclusive.
pub fn deal_filter(q: &mut ListQuery) -> DealFilter {
    let from = q.date("from");
    let to = q.date("to");
    DealFilter {
        status: q.parsed("status", DealStatus::parse),
        phase: q.parsed("phase", DealPhase::parse),
        client_id: q.id::<ClientId>("client_id"),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        store_id: q.id::<StoreId>("store_id"),
        responsible_id: q.text("responsible_id"),
        source: q.text("source"),
        min_value: q.money("min_value"),
        max_value: q.money("max_value"),
        created_from: from.map(ListQuery::day_start),
        // `to` is inclusive: everything before the next day starts.
        created_before: to.and_then(|d| d.succ_opt()).map(ListQuery::day_start),
        search: q.search(),
    }
}

/// The `sort` fields of `GET /activities`.
pub const ACTIVITY_SORTS: [(&str, ActivitySort); 5] = [
    ("due_date", ActivitySort::DueDate),
    ("created_at", ActivitySort::CreatedAt),
    ("updated_at", ActivitySort::UpdatedAt),
    ("title", ActivitySort::Title),
    ("status", ActivitySort::Status),
];

/// The filters of `GET /activities` (§4.4) read from its query; the
/// panel's list reads the same parameters through this function.
pub fn activity_filter(q: &mut ListQuery) -> ActivityFilter {
    let due_from = q.instant("due_from").map(|(t, _)| t);
    // A bare day as the upper bound includes that whole day.
    let due_before = q.instant("due_to").map(|(t, day)| {
        if day {
            t + chrono::Duration::days(1)
        } else {
            t + chrono::Duration::microseconds(1)
        }
    });
    let overdue = q.flag("overdue");
    ActivityFilter {
        status: q.parsed("status", ActivityStatus::parse_input),
        kind: q.text("type").map(|t| t.to_lowercase()),
        client_id: q.id::<ClientId>("client_id"),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        deal_id: q.id::<DealId>("deal_id"),
        store_id: q.id::<StoreId>("store_id"),
        responsible_id: q.text("responsible_id"),
        due_from,
        due_before,
        overdue_at: (overdue == Some(true)).then(vitrine_core::clock::now),
        search: q.search(),
    }
}

/// The `sort` fields of `GET /financial`.
pub const FINANCIAL_SORTS: [(&str, FinancialSort); 5] = [
    ("created_at", FinancialSort::CreatedAt),
    ("updated_at", FinancialSort::UpdatedAt),
    ("amount", FinancialSort::Amount),
    ("due_date", FinancialSort::DueDate),
    ("paid_at", FinancialSort::PaidAt),
];

/// The period and link filters of `GET /financial` (§4.5), shared with
/// the panel's list.
pub fn financial_filter(q: &mut ListQuery) -> FinancialFilter {
    FinancialFilter {
        kind: q.parsed("type", RecordType::parse),
        category: q.parsed("category", Category::parse),
        status: q.parsed("status", FinancialStatus::parse),
        payment_method: q.parsed("payment_method", PaymentMethod::parse),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        deal_id: q.id::<DealId>("deal_id"),
        client_id: q.id::<ClientId>("client_id"),
        store_id: q.id::<StoreId>("store_id"),
        from: q.date("from"),
        to: q.date("to"),
    }
}
