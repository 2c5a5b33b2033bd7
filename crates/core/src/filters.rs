//! What a list asks for: each CRM list's filters (`None` means "any") and
//! the fields it sorts by. The Auto API and the panel read them from a
//! query string (`vitrine-auto-wire`); the store turns them into SQL.

use chrono::{DateTime, NaiveDate, Utc};

use crate::activity::ActivityStatus;
use crate::client::{ClientStatus, ClientType, Segment};
use crate::deal::{DealPhase, DealStatus};
use crate::financial::{Category, FinancialStatus, PaymentMethod, RecordType};
use crate::ids::{ClientId, DealId, StoreId, VehicleId};
use crate::money::Money;
use crate::vehicle::{VehiclePhase, VehicleStatus};

/// The filters of `GET /vehicles`; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct VehicleFilter {
    /// Exact status; without it archived vehicles are left out (§3.13).
    pub status: Option<VehicleStatus>,
    /// Stage.
    pub phase: Option<VehiclePhase>,
    /// Brand, compared folded (case- and accent-insensitive).
    pub brand: Option<String>,
    /// Model, compared folded.
    pub model: Option<String>,
    /// Fuel (stored lower case).
    pub fuel: Option<String>,
    /// Transmission (stored lower case).
    pub transmission: Option<String>,
    /// Colour, case-insensitive.
    pub color: Option<String>,
    /// Lowest model year.
    pub year_min: Option<i64>,
    /// Highest model year.
    pub year_max: Option<i64>,
    /// Lowest price.
    pub price_min: Option<Money>,
    /// Highest price.
    pub price_max: Option<Money>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Patterns from [`crate::text::search_patterns`].
    pub search: Option<(String, Option<String>)>,
}

/// Sortable vehicle fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VehicleSort {
    /// Creation time (the default, descending).
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Price.
    Price,
    /// Model year.
    YearModel,
    /// Mileage.
    Mileage,
    /// Title.
    Title,
    /// Brand.
    Brand,
}

/// The filters of `GET /clients`; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ClientFilter {
    /// PF or PJ.
    pub kind: Option<ClientType>,
    /// Active or inactive.
    pub status: Option<ClientStatus>,
    /// Segment.
    pub segment: Option<Segment>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Patterns from [`crate::text::search_patterns`].
    pub search: Option<(String, Option<String>)>,
}

/// Sortable client fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSort {
    /// Creation time (the default, descending).
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Name.
    Name,
    /// E-mail.
    Email,
    /// Segment.
    Segment,
    /// Status.
    Status,
}

/// The filters of `GET /deals`; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    /// Exact status; without it archived deals are left out (§3.13).
    pub status: Option<DealStatus>,
    /// Stage.
    pub phase: Option<DealPhase>,
    /// Client.
    pub client_id: Option<ClientId>,
    /// Vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Salesperson.
    pub responsible_id: Option<String>,
    /// Lead origin, case-insensitive.
    pub source: Option<String>,
    /// Lowest value.
    pub min_value: Option<Money>,
    /// Highest value.
    pub max_value: Option<Money>,
    /// Created on or after this instant.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before this instant.
    pub created_before: Option<DateTime<Utc>>,
    /// Patterns from [`crate::text::search_patterns`].
    pub search: Option<(String, Option<String>)>,
}

/// Sortable deal fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealSort {
    /// Creation time (the default, descending).
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Title.
    Title,
    /// Value.
    Value,
    /// Phase.
    Phase,
    /// Probability.
    Probability,
    /// Expected close date.
    ExpectedCloseDate,
}

/// The filters of `GET /activities`; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Exact status.
    pub status: Option<ActivityStatus>,
    /// Exact type slug.
    pub kind: Option<String>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Linked vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// Linked deal.
    pub deal_id: Option<DealId>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Assignee.
    pub responsible_id: Option<String>,
    /// Due on or after.
    pub due_from: Option<DateTime<Utc>>,
    /// Due before.
    pub due_before: Option<DateTime<Utc>>,
    /// Pending and due before this instant (`overdue=true` passes now).
    pub overdue_at: Option<DateTime<Utc>>,
    /// Patterns from [`crate::text::search_patterns`].
    pub search: Option<(String, Option<String>)>,
}

/// Sortable activity fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivitySort {
    /// Due date (the default, ascending).
    DueDate,
    /// Creation time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Title.
    Title,
    /// Status.
    Status,
}

/// The filters of `GET /financial` and the period of the summary.
#[derive(Debug, Clone, Default)]
pub struct FinancialFilter {
    /// Type.
    pub kind: Option<RecordType>,
    /// Category.
    pub category: Option<Category>,
    /// Status.
    pub status: Option<FinancialStatus>,
    /// Payment method.
    pub payment_method: Option<PaymentMethod>,
    /// Linked vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// Linked deal.
    pub deal_id: Option<DealId>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Period start (inclusive) on `due_date`, or the creation day.
    pub from: Option<NaiveDate>,
    /// Period end (inclusive).
    pub to: Option<NaiveDate>,
}

/// Sortable record fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinancialSort {
    /// Creation time (the default, descending).
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Amount.
    Amount,
    /// Due date.
    DueDate,
    /// Paid time.
    PaidAt,
}
