//! Financial records: income and expenses with the documented enumerations
//! (ecosys-auto-api.md §4.5, S8), and the arithmetic of
//! `GET /financial/summary`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::client::wire_enum;
use crate::ids::{ClientId, DealId, StoreId, VehicleId};
use crate::money::Money;
use crate::text;
use crate::FieldError;

wire_enum! {
    /// Record type (S8, exact).
    RecordType {
        /// Vehicle sales, commissions.
        Revenue = "revenue",
        /// Operating expense.
        Expense = "expense",
        /// Vehicle preparation cost.
        Cost = "cost",
    }
}

wire_enum! {
    /// Category (S8, exact); each belongs to one type.
    Category {
        /// Vehicle sale.
        VendaVeiculo = "venda-veiculo",
        /// Sales commission.
        Comissao = "comissao",
        /// Financing commission.
        Financiamento = "financiamento",
        /// Insurance commission.
        Seguro = "seguro",
        /// Rent.
        Aluguel = "aluguel",
        /// Payroll.
        Pessoal = "pessoal",
        /// Marketing.
        Marketing = "marketing",
        /// Software and technology.
        Tecnologia = "tecnologia",
        /// Body and paint.
        Funilaria = "funilaria",
        /// Mechanics.
        Mecanica = "mecanica",
        /// Cleaning and polishing.
        Higienizacao = "higienizacao",
        /// Paperwork and title transfer.
        Documentacao = "documentacao",
    }
}

impl Category {
    /// The type a category belongs to (S8's table).
    pub fn record_type(self) -> RecordType {
        match self {
            Self::VendaVeiculo | Self::Comissao | Self::Financiamento | Self::Seguro => {
                RecordType::Revenue
            }
            Self::Aluguel | Self::Pessoal | Self::Marketing | Self::Tecnologia => {
                RecordType::Expense
            }
            Self::Funilaria | Self::Mecanica | Self::Higienizacao | Self::Documentacao => {
                RecordType::Cost
            }
        }
    }

    /// Commission income: sales, financing and insurance commissions.
    pub fn is_commission(self) -> bool {
        matches!(self, Self::Comissao | Self::Financiamento | Self::Seguro)
    }

    /// The categories of one type, in documented order.
    pub fn of(kind: RecordType) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|c| c.record_type() == kind)
            .map(|c| c.as_str())
            .collect()
    }
}

wire_enum! {
    /// Payment status (S8, exact); `pending` is the default.
    FinancialStatus {
        /// Awaiting payment.
        Pending = "pending",
        /// Paid or received.
        Paid = "paid",
        /// Cancelled: left out of every total.
        Cancelled = "cancelled",
    }
}

wire_enum! {
    /// Payment method (S8, exact).
    PaymentMethod {
        /// PIX.
        Pix = "pix",
        /// Bank slip.
        Boleto = "boleto",
        /// Card.
        Cartao = "cartao",
        /// Transfer.
        Transferencia = "transferencia",
        /// Bank financing.
        Financiamento = "financiamento",
        /// Cash.
        Dinheiro = "dinheiro",
        /// Cheque.
        Cheque = "cheque",
    }
}

/// Everything a record holds besides its id and timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialRecord {
    /// Type.
    pub kind: RecordType,
    /// Category, one of the type's.
    pub category: Category,
    /// Description.
    pub description: Option<String>,
    /// Amount, above zero.
    pub amount: Money,
    /// Status.
    pub status: FinancialStatus,
    /// How it is paid.
    pub payment_method: Option<PaymentMethod>,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// Linked vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// Linked deal.
    pub deal_id: Option<DealId>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Store.
    pub store_id: Option<StoreId>,
}

impl FinancialRecord {
    /// Checks what no single field can: the category belongs to the type
    /// and the amount is above zero. Every problem at once.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut problems = Vec::new();
        if self.category.record_type() != self.kind {
            problems.push(text::not_in_enum("category", &Category::of(self.kind)));
        }
        if self.amount.cents() <= 0 {
            problems.push(FieldError {
                field: "amount".into(),
                kind: "min",
                message: "Campo 'amount' deve ser maior que 0".into(),
                allowed: Vec::new(),
            });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The vehicle this record has sold: a *paid* `venda-veiculo` record
    /// linked to a vehicle (a pending one has not sold it yet). The stock
    /// follows it ([`crate::vehicle::stock_moves`]).
    pub fn sold_vehicle(&self) -> Option<VehicleId> {
        let sale = self.category == Category::VendaVeiculo && self.status == FinancialStatus::Paid;
        self.vehicle_id.filter(|_| sale)
    }

    /// Stamps `paid_at` when the record becomes paid without one, and
    /// clears it when it stops being paid (§4.5).
    pub fn settle(&mut self, before: Option<FinancialStatus>, now: DateTime<Utc>) {
        let paid = self.status == FinancialStatus::Paid;
        if paid && self.paid_at.is_none() {
            self.paid_at = Some(now);
        } else if !paid && before == Some(FinancialStatus::Paid) {
            self.paid_at = None;
        }
    }
}

/// Centavos of a summary total. Every stored amount is bounded
/// ([`Money::parse_literal`]: R$ 10 trillion), and totals add up in
/// `i128`, so no count of records can overflow a sum (issue 12.11: the
/// SQL `SUM` of `BIGINT` did, answering 500).
pub type Cents = i128;

/// One group of the summary query: the sum and count of records sharing a
/// type, category and status within the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTotal {
    /// Type.
    pub kind: RecordType,
    /// Category.
    pub category: Category,
    /// Status.
    pub status: FinancialStatus,
    /// Sum in centavos.
    pub cents: Cents,
    /// Records.
    pub count: i64,
}

/// A vehicle sold in the period, with what the margin is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldVehicle {
    /// The vehicle.
    pub vehicle_id: VehicleId,
    /// Its title.
    pub title: String,
    /// Purchase price; without one the margin is unknown.
    pub purchase: Option<Money>,
    /// Sum of its *paid* `venda-veiculo` records in the period (a pending
    /// sale has not sold the car).
    pub sale_cents: Cents,
    /// Sum of its non-cancelled `expense` and `cost` records (any date).
    pub expenses_cents: Cents,
}

/// Amounts per type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByType {
    /// Revenue in centavos.
    pub revenue: Cents,
    /// Expenses in centavos.
    pub expense: Cents,
    /// Costs in centavos.
    pub cost: Cents,
}

impl ByType {
    fn add(&mut self, kind: RecordType, cents: Cents) {
        let slot = match kind {
            RecordType::Revenue => &mut self.revenue,
            RecordType::Expense => &mut self.expense,
            RecordType::Cost => &mut self.cost,
        };
        *slot = slot.saturating_add(cents);
    }

    /// revenue − expense − cost.
    pub fn profit(&self) -> Cents {
        self.revenue
            .saturating_sub(self.expense)
            .saturating_sub(self.cost)
    }
}

/// A category's total (non-cancelled records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryTotal {
    /// Type.
    pub kind: RecordType,
    /// Category.
    pub category: Category,
    /// Sum in centavos.
    pub cents: Cents,
    /// Records.
    pub count: i64,
}

/// Why a sold vehicle's margin cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarginUnknown {
    /// No purchase price was recorded: the whole sale is not profit.
    NoPurchasePrice,
}

impl MarginUnknown {
    /// The reason's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoPurchasePrice => "purchase_price_missing",
        }
    }

    /// The reason in Portuguese, as the panel shows it.
    pub fn message(self) -> &'static str {
        match self {
            Self::NoPurchasePrice => "Preço de compra não informado: a margem é desconhecida",
        }
    }
}

/// Margin of one sold vehicle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleMargin {
    /// The vehicle and its figures.
    pub vehicle: SoldVehicle,
    /// sale − purchase − expenses, in centavos, or why it is unknown.
    pub margin: Result<Cents, MarginUnknown>,
}

/// The figures of `GET /financial/summary`, all in centavos.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Non-cancelled totals per type.
    pub totals: ByType,
    /// Paid records per type.
    pub paid: ByType,
    /// Pending records per type.
    pub pending: ByType,
    /// Cancelled records per type (left out of `totals`).
    pub cancelled: ByType,
    /// Non-cancelled totals per category, in documented order.
    pub by_category: Vec<CategoryTotal>,
    /// Commission income (`comissao`, `financiamento`, `seguro`).
    pub commissions: Cents,
    /// Per sold vehicle.
    pub vehicles: Vec<VehicleMargin>,
}

/// A sold vehicle's margin: sale − purchase − expenses; unknown (never the
/// whole sale) when no purchase price was recorded (issue 16.3).
pub fn margin(v: &SoldVehicle) -> Result<Cents, MarginUnknown> {
    let purchase = v.purchase.ok_or(MarginUnknown::NoPurchasePrice)?;
    Ok(v.sale_cents
        .saturating_sub(Cents::from(purchase.cents()))
        .saturating_sub(v.expenses_cents))
}

/// Folds the grouped totals and the sold vehicles into the summary.
pub fn summarize(groups: &[GroupTotal], sold: Vec<SoldVehicle>) -> Summary {
    let mut s = Summary::default();
    for g in groups {
        match g.status {
            FinancialStatus::Paid => s.paid.add(g.kind, g.cents),
            FinancialStatus::Pending => s.pending.add(g.kind, g.cents),
            FinancialStatus::Cancelled => {
                s.cancelled.add(g.kind, g.cents);
                continue;
            }
        }
        s.totals.add(g.kind, g.cents);
        if g.category.is_commission() && g.kind == RecordType::Revenue {
            s.commissions = s.commissions.saturating_add(g.cents);
        }
        match s
            .by_category
            .iter_mut()
            .find(|c| c.kind == g.kind && c.category == g.category)
        {
            Some(c) => {
                c.cents = c.cents.saturating_add(g.cents);
                c.count = c.count.saturating_add(g.count);
            }
            None => s.by_category.push(CategoryTotal {
                kind: g.kind,
                category: g.category,
                cents: g.cents,
                count: g.count,
            }),
        }
    }
    s.by_category
        .sort_by_key(|c| Category::ALL.iter().position(|x| *x == c.category));
    s.vehicles = sold
        .into_iter()
        .map(|v| VehicleMargin {
            margin: margin(&v),
            vehicle: v,
        })
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(
        kind: RecordType,
        category: Category,
        status: FinancialStatus,
        cents: Cents,
        count: i64,
    ) -> GroupTotal {
        GroupTotal {
            kind,
            category,
            status,
            cents,
            count,
        }
    }

    #[test]
    fn summary_by_hand() {
        use Category as C;
        use FinancialStatus as S;
        use RecordType as T;
        let groups = [
            g(T::Revenue, C::VendaVeiculo, S::Paid, 14_000_000, 1),
            g(T::Revenue, C::VendaVeiculo, S::Pending, 9_000_000, 1),
            g(T::Revenue, C::Comissao, S::Paid, 150_000, 2),
            g(T::Revenue, C::Seguro, S::Pending, 50_000, 1),
            g(T::Expense, C::Aluguel, S::Paid, 800_000, 1),
            g(T::Cost, C::Funilaria, S::Paid, 120_000, 1),
            g(T::Cost, C::Mecanica, S::Cancelled, 999_900, 1),
        ];
        let v = VehicleId::new();
        let sold = vec![SoldVehicle {
            vehicle_id: v,
            title: "Civic".into(),
            purchase: Some(Money::from_cents(12_500_000)),
            sale_cents: 14_000_000,
            expenses_cents: 120_000,
        }];
        let s = summarize(&groups, sold);
        assert_eq!(s.totals.revenue, 23_200_000);
        assert_eq!(s.totals.expense, 800_000);
        assert_eq!(s.totals.cost, 120_000, "cancelled is left out");
        assert_eq!(s.totals.profit(), 22_280_000);
        assert_eq!(s.paid.revenue, 14_150_000);
        assert_eq!(s.pending.revenue, 9_050_000);
        assert_eq!(s.cancelled.cost, 999_900);
        assert_eq!(s.commissions, 200_000);
        let cats: Vec<_> = s
            .by_category
            .iter()
            .map(|c| (c.category, c.cents, c.count))
            .collect();
        assert_eq!(
            cats,
            vec![
                (C::VendaVeiculo, 23_000_000, 2),
                (C::Comissao, 150_000, 2),
                (C::Seguro, 50_000, 1),
                (C::Aluguel, 800_000, 1),
                (C::Funilaria, 120_000, 1),
            ]
        );
        assert_eq!(s.vehicles[0].margin, Ok(1_380_000));
    }

    #[test]
    fn a_margin_without_purchase_price_is_unknown_not_the_sale() {
        let v = SoldVehicle {
            vehicle_id: VehicleId::new(),
            title: "Onix".into(),
            purchase: None,
            sale_cents: 6_000_000,
            expenses_cents: 10_000,
        };
        assert_eq!(margin(&v), Err(MarginUnknown::NoPurchasePrice));
        let priced = SoldVehicle {
            purchase: Some(Money::from_cents(5_000_000)),
            ..v
        };
        assert_eq!(margin(&priced), Ok(990_000));
    }

    #[test]
    fn totals_beyond_i64_add_up_exactly() {
        // 10,000 records of the largest amount each: 10^19 centavos, past
        // i64::MAX (≈ 9.2 × 10^18).
        let max = Cents::from(Money::parse_literal("10000000000000").expect("max").cents());
        let groups = [
            g(
                RecordType::Revenue,
                Category::VendaVeiculo,
                FinancialStatus::Paid,
                max * 5_000,
                5_000,
            ),
            g(
                RecordType::Revenue,
                Category::VendaVeiculo,
                FinancialStatus::Pending,
                max * 5_000,
                5_000,
            ),
        ];
        let s = summarize(&groups, Vec::new());
        assert_eq!(s.totals.revenue, 10_000_000_000_000_000_000);
        assert!(s.totals.revenue > Cents::from(i64::MAX));
        assert_eq!(s.by_category[0].cents, 10_000_000_000_000_000_000);
    }

    #[test]
    fn category_must_belong_to_type_and_amount_be_positive() {
        let mut r = FinancialRecord {
            kind: RecordType::Expense,
            category: Category::Funilaria,
            description: None,
            amount: Money::from_cents(0),
            status: FinancialStatus::Pending,
            payment_method: None,
            due_date: None,
            paid_at: None,
            vehicle_id: None,
            deal_id: None,
            client_id: None,
            store_id: None,
        };
        let kinds: Vec<_> = r
            .check()
            .unwrap_err()
            .iter()
            .map(|e| (e.field.clone(), e.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![("category".into(), "enum"), ("amount".into(), "min")]
        );
        r.category = Category::Aluguel;
        r.amount = Money::from_cents(1);
        assert_eq!(r.check(), Ok(()));
        assert_eq!(
            Category::of(RecordType::Cost),
            vec!["funilaria", "mecanica", "higienizacao", "documentacao"]
        );
    }

    #[test]
    fn only_a_paid_vehicle_sale_has_sold_its_vehicle() {
        let v = VehicleId::new();
        let mut r = FinancialRecord {
            kind: RecordType::Revenue,
            category: Category::VendaVeiculo,
            description: None,
            amount: Money::from_cents(100),
            status: FinancialStatus::Pending,
            payment_method: None,
            due_date: None,
            paid_at: None,
            vehicle_id: Some(v),
            deal_id: None,
            client_id: None,
            store_id: None,
        };
        assert_eq!(r.sold_vehicle(), None, "pending");
        r.status = FinancialStatus::Paid;
        assert_eq!(r.sold_vehicle(), Some(v));
        r.category = Category::Comissao;
        assert_eq!(r.sold_vehicle(), None, "a commission is no sale");
        r.category = Category::VendaVeiculo;
        r.vehicle_id = None;
        assert_eq!(r.sold_vehicle(), None, "no vehicle");
    }

    #[test]
    fn paying_stamps_paid_at_once() {
        use chrono::TimeZone;
        let t = |h| {
            Utc.with_ymd_and_hms(2026, 2, 4, h, 0, 0)
                .single()
                .expect("time")
        };
        let mut r = FinancialRecord {
            kind: RecordType::Revenue,
            category: Category::Comissao,
            description: None,
            amount: Money::from_cents(100),
            status: FinancialStatus::Paid,
            payment_method: None,
            due_date: None,
            paid_at: None,
            vehicle_id: None,
            deal_id: None,
            client_id: None,
            store_id: None,
        };
        r.settle(None, t(1));
        assert_eq!(r.paid_at, Some(t(1)));
        r.settle(Some(FinancialStatus::Paid), t(2));
        assert_eq!(r.paid_at, Some(t(1)));
        r.status = FinancialStatus::Cancelled;
        r.settle(Some(FinancialStatus::Paid), t(3));
        assert_eq!(r.paid_at, None);
    }
}
