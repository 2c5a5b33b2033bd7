//! The sales pipeline: deals, their phases and how they close
//! (ecosys-auto-api.md §4.3, G10).

use chrono::{DateTime, NaiveDate, Utc};

use crate::client::wire_enum;
use crate::ids::{ClientId, StoreId, VehicleId};
use crate::money::Money;
use crate::text::{self, open_enum};
use crate::FieldError;

open_enum! {
    /// Pipeline stage: an open vocabulary (§4.3: "accept any non-empty
    /// string"); these are the known stages, the panel's default kanban
    /// columns, and `lead` is the default.
    DealPhase {
        /// New lead.
        Lead = "lead",
        /// First contact made.
        Contato = "contato",
        /// Store visit.
        Visita = "visita",
        /// Test drive.
        TestDrive = "test_drive",
        /// Proposal sent.
        Proposta = "proposta",
        /// Negotiating.
        Negociacao = "negociacao",
        /// Closing.
        Fechamento = "fechamento",
    }
}

wire_enum! {
    /// Deal status; `ativo` is the default (§4.3).
    DealStatus {
        /// Open.
        Ativo = "ativo",
        /// Won.
        Ganho = "ganho",
        /// Lost.
        Perdido = "perdido",
        /// Archived (`DELETE`): hidden from lists unless asked for.
        Arquivado = "arquivado",
    }
}

/// Everything a deal holds besides its id and timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    /// Title.
    pub title: String,
    /// Value; the final price once won.
    pub value: Option<Money>,
    /// Pipeline stage.
    pub phase: DealPhase,
    /// 0..=100.
    pub probability: Option<i32>,
    /// Status.
    pub status: DealStatus,
    /// Why it was lost.
    pub loss_reason: Option<String>,
    /// The client.
    pub client_id: Option<ClientId>,
    /// The vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// The store.
    pub store_id: Option<StoreId>,
    /// Lead origin (free text).
    pub source: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// Expected close date.
    pub expected_close_date: Option<NaiveDate>,
    /// Opaque id of the salesperson.
    pub responsible_id: Option<String>,
    /// When it was won.
    pub won_at: Option<DateTime<Utc>>,
    /// When it was lost.
    pub lost_at: Option<DateTime<Utc>>,
}

impl Deal {
    /// A new open deal in `lead` with only the required fields.
    pub fn new(title: String) -> Self {
        Self {
            title,
            value: None,
            phase: DealPhase::Lead,
            probability: None,
            status: DealStatus::Ativo,
            loss_reason: None,
            client_id: None,
            vehicle_id: None,
            store_id: None,
            source: None,
            tags: Vec::new(),
            description: None,
            expected_close_date: None,
            responsible_id: None,
            won_at: None,
            lost_at: None,
        }
    }

    /// Records the close timestamps after the status may have changed from
    /// `before` (`None` on creation). Any transition is allowed (G10):
    /// becoming `ganho` sets `won_at`, becoming `perdido` sets `lost_at`,
    /// reopening to `ativo` clears both; archiving keeps them. Nothing else
    /// (phase, probability, the vehicle) changes on its own.
    pub fn settle(&mut self, before: Option<DealStatus>, now: DateTime<Utc>) {
        if before == Some(self.status) {
            return;
        }
        match self.status {
            DealStatus::Ganho => {
                self.won_at = Some(now);
                self.lost_at = None;
            }
            DealStatus::Perdido => {
                self.lost_at = Some(now);
                self.won_at = None;
            }
            DealStatus::Ativo => {
                self.won_at = None;
                self.lost_at = None;
            }
            DealStatus::Arquivado => {}
        }
    }

    /// Reopens a closed deal: a won or lost deal goes back to `ativo`, in
    /// the phase it was in. Callers then [`Deal::settle`] it, which clears
    /// `won_at`/`lost_at`, exactly as a `PATCH {"status": "ativo"}` does;
    /// an open or archived deal is refused (there is nothing to reopen).
    pub fn reopen(&mut self) -> Result<(), FieldError> {
        match self.status {
            DealStatus::Ganho | DealStatus::Perdido => {
                self.status = DealStatus::Ativo;
                Ok(())
            }
            DealStatus::Ativo | DealStatus::Arquivado => Err(FieldError::invalid(
                "status",
                "Só um negócio ganho ou perdido pode ser reaberto",
            )),
        }
    }

    /// The vehicle this deal has sold: won — or archived after being won,
    /// which keeps `won_at` — with a vehicle. The stock follows it
    /// ([`crate::vehicle::stock_moves`]).
    pub fn sold_vehicle(&self) -> Option<VehicleId> {
        let sale = self.status == DealStatus::Ganho
            || (self.status == DealStatus::Arquivado && self.won_at.is_some());
        self.vehicle_id.filter(|_| sale)
    }

    /// What `search` matches: title and description.
    pub fn search_document(&self) -> String {
        text::search_document([Some(self.title.as_str()), self.description.as_deref()])
    }
}

/// A probability in percent, 0..=100.
pub fn parse_probability(field: &str, p: i64) -> Result<i32, FieldError> {
    if p < 0 {
        return Err(text::below(field, 0));
    }
    if p > 100 {
        return Err(text::above(field, 100));
    }
    i32::try_from(p).map_err(|_| text::above(field, 100))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 4, h, 0, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn closing_sets_and_reopening_clears_timestamps() {
        let mut d = Deal::new("Venda".into());
        d.settle(None, at(1));
        assert_eq!((d.won_at, d.lost_at), (None, None));
        d.status = DealStatus::Ganho;
        d.settle(Some(DealStatus::Ativo), at(2));
        assert_eq!(d.won_at, Some(at(2)));
        d.settle(Some(DealStatus::Ganho), at(3));
        assert_eq!(d.won_at, Some(at(2)), "staying won keeps the first time");
        d.status = DealStatus::Perdido;
        d.settle(Some(DealStatus::Ganho), at(4));
        assert_eq!((d.won_at, d.lost_at), (None, Some(at(4))));
        d.status = DealStatus::Arquivado;
        d.settle(Some(DealStatus::Perdido), at(5));
        assert_eq!(d.lost_at, Some(at(4)), "archiving keeps the history");
        d.status = DealStatus::Ativo;
        d.settle(Some(DealStatus::Arquivado), at(6));
        assert_eq!((d.won_at, d.lost_at), (None, None));
        assert_eq!(d.phase, DealPhase::Lead, "closing never moves the phase");
    }

    #[test]
    fn only_closed_deals_reopen() {
        let mut d = Deal::new("Venda".into());
        d.phase = DealPhase::Negociacao;
        assert!(d.reopen().is_err(), "an open deal");
        for closed in [DealStatus::Ganho, DealStatus::Perdido] {
            d.status = closed;
            d.settle(Some(DealStatus::Ativo), at(1));
            assert_eq!(d.reopen(), Ok(()));
            d.settle(Some(closed), at(2));
            assert_eq!(d.status, DealStatus::Ativo);
            assert_eq!((d.won_at, d.lost_at), (None, None));
            assert_eq!(d.phase, DealPhase::Negociacao, "back in its phase");
        }
        d.status = DealStatus::Arquivado;
        assert_eq!(d.reopen().map_err(|e| e.field), Err("status".to_owned()));
    }

    #[test]
    fn vocabularies_and_ranges() {
        assert_eq!(
            DealPhase::parse("phase", "test_drive"),
            Ok(DealPhase::TestDrive)
        );
        assert_eq!(DealPhase::parse("phase", "LEAD"), Ok(DealPhase::Lead));
        let custom = DealPhase::parse("phase", "Qualificacao").expect("open vocabulary");
        assert_eq!(custom.as_str(), "qualificacao");
        assert!(!custom.is_known() && DealPhase::Lead.is_known());
        assert_eq!(
            DealStatus::parse("status", "fechado").map_err(|e| e.kind),
            Err("enum")
        );
        assert_eq!(parse_probability("probability", 40), Ok(40));
        assert!(parse_probability("probability", 101).is_err());
        assert!(parse_probability("probability", -1).is_err());
    }

    #[test]
    fn a_won_deal_with_a_vehicle_has_sold_it() {
        let v = VehicleId::new();
        let mut d = Deal::new("Venda".into());
        d.vehicle_id = Some(v);
        assert_eq!(d.sold_vehicle(), None, "open");
        d.status = DealStatus::Ganho;
        d.settle(Some(DealStatus::Ativo), at(1));
        assert_eq!(d.sold_vehicle(), Some(v));
        d.status = DealStatus::Arquivado;
        d.settle(Some(DealStatus::Ganho), at(2));
        assert_eq!(d.sold_vehicle(), Some(v), "archiving keeps the sale");
        d.status = DealStatus::Ativo;
        d.settle(Some(DealStatus::Arquivado), at(3));
        assert_eq!(d.sold_vehicle(), None, "reopened");
        d.status = DealStatus::Perdido;
        assert_eq!(d.sold_vehicle(), None);
        let mut lost_then_archived = Deal::new("Perdido".into());
        lost_then_archived.vehicle_id = Some(v);
        lost_then_archived.status = DealStatus::Arquivado;
        assert_eq!(lost_then_archived.sold_vehicle(), None);
    }
}
