//! The confirmations the CRM screens show after a successful action
//! ("Cliente criado."), in one place so their wording stays consistent.
//! They travel as [flash messages](crate::flash): [`Notice::redirect`]
//! answers the post with a 303 carrying the message, and the layout shows
//! it at the top of the page the redirect leads to.

use axum::response::Response;

use crate::flash;
use crate::session::Signed;

/// A successful action's confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A client was created.
    ClientCreated,
    /// A vehicle was created.
    VehicleCreated,
    /// A vehicle was saved.
    VehicleSaved,
    /// An activity was created.
    ActivityCreated,
    /// An activity was completed.
    ActivityCompleted,
    /// A financial record was created.
    RecordCreated,
    /// A financial record was marked paid.
    RecordPaid,
    /// A deal moved to another phase.
    DealMoved,
    /// A deal was marked won.
    DealWon,
    /// A deal was marked lost.
    DealLost,
    /// A closed deal was reopened.
    DealReopened,
    /// A unit's price and stock were saved.
    UnitSaved,
    /// An order's status changed.
    OrderStatusChanged,
    /// The account settings were saved.
    AccountSaved,
}

impl Notice {
    /// The sentence shown.
    pub fn message(self) -> &'static str {
        match self {
            Self::ClientCreated => "Cliente criado.",
            Self::VehicleCreated => "Veículo criado.",
            Self::VehicleSaved => "Veículo salvo.",
            Self::ActivityCreated => "Atividade criada.",
            Self::ActivityCompleted => "Atividade concluída.",
            Self::RecordCreated => "Lançamento criado.",
            Self::RecordPaid => "Lançamento marcado como pago.",
            Self::DealMoved => "Negócio movido de fase.",
            Self::DealWon => "Negócio marcado como ganho.",
            Self::DealLost => "Negócio marcado como perdido.",
            Self::DealReopened => "Negócio reaberto.",
            Self::UnitSaved => "Preço e estoque salvos.",
            Self::OrderStatusChanged => "Status do pedido alterado.",
            Self::AccountSaved => "Configurações da conta salvas.",
        }
    }

    /// A 303 to `path` whose page shows this confirmation once.
    pub fn redirect(self, signed: &Signed, path: &str) -> Response {
        flash::redirect(signed, path, self.message())
    }
}
