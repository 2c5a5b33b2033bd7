//! Inventory vehicles (ecosys-auto-api.md §4.2).

use crate::client::document_problem;
use crate::doc::{Plate, Renavam, Strictness, Vin};
use crate::ids::{ClientId, StoreId, VehicleId};
use crate::money::Money;
use crate::text::{self, open_enum};
use crate::FieldError;

open_enum! {
    /// Stock-pipeline stage: an open vocabulary (§4.2: "do not reject other
    /// non-empty strings"); these are the known stages and `entrada` is the
    /// default.
    VehiclePhase {
        /// Intake.
        Entrada = "entrada",
        /// Preparation (bodywork, cleaning).
        Preparacao = "preparacao",
        /// Advertised.
        Anunciado = "anunciado",
        /// Reserved for a buyer.
        Reservado = "reservado",
        /// Sold.
        Vendido = "vendido",
        /// Delivered to the buyer.
        Entregue = "entregue",
    }
}

open_enum! {
    /// Listing status: an open vocabulary (§4.2, G4); these are the known
    /// values, `ativo` is the default and `arquivado` is what `DELETE` sets.
    VehicleStatus {
        /// Active (NEW default).
        Ativo = "ativo",
        /// Available (OLD filter example).
        Disponivel = "disponivel",
        /// Reserved.
        Reservado = "reservado",
        /// Sold.
        Vendido = "vendido",
        /// Archived: hidden from lists unless asked for.
        Arquivado = "arquivado",
    }
}

/// Oldest accepted model/manufacture year.
pub const MIN_YEAR: i64 = 1900;
/// Most doors a vehicle can declare.
pub const MAX_DOORS: i64 = 10;
/// Plates are at most this long (G29).
pub const MAX_PLATE: usize = 10;

/// Everything a vehicle holds besides its id and timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    /// Listing title.
    pub title: String,
    /// The store holding the vehicle (required, Decision 1 checks it).
    pub store_id: StoreId,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Model year.
    pub year_model: Option<i32>,
    /// Manufacture year.
    pub year_manufacture: Option<i32>,
    /// Sale price.
    pub price: Option<Money>,
    /// Acquisition cost.
    pub purchase_price: Option<Money>,
    /// Kilometres.
    pub mileage: Option<i64>,
    /// Colour (free text).
    pub color: Option<String>,
    /// Fuel, lower case (free vocabulary, §4.2).
    pub fuel: Option<String>,
    /// Transmission, lower case (free vocabulary, §4.2).
    pub transmission: Option<String>,
    /// Plate as typed (trimmed).
    pub plate: Option<String>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Stock stage.
    pub phase: VehiclePhase,
    /// Listing status.
    pub status: VehicleStatus,
    /// FIPE table code.
    pub fipe_code: Option<String>,
    /// FIPE reference price.
    pub fipe_price: Option<Money>,
    /// Body type (carroceria), lower case.
    pub body_type: Option<String>,
    /// Doors.
    pub doors: Option<i32>,
    /// Engine description.
    pub engine: Option<String>,
    /// Chassis number (VIN).
    pub chassis: Option<String>,
    /// RENAVAM.
    pub renavam: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Features (opcionais).
    pub features: Option<Vec<String>>,
    /// Photo URLs.
    pub photos: Option<Vec<String>>,
}

impl Vehicle {
    /// A new vehicle in `entrada`/`ativo` with only the required fields.
    pub fn new(title: String, store_id: StoreId) -> Self {
        Self {
            title,
            store_id,
            brand: None,
            model: None,
            version: None,
            year_model: None,
            year_manufacture: None,
            price: None,
            purchase_price: None,
            mileage: None,
            color: None,
            fuel: None,
            transmission: None,
            plate: None,
            client_id: None,
            phase: VehiclePhase::Entrada,
            status: VehicleStatus::Ativo,
            fipe_code: None,
            fipe_price: None,
            body_type: None,
            doors: None,
            engine: None,
            chassis: None,
            renavam: None,
            description: None,
            features: None,
            photos: None,
        }
    }

    /// Still in stock: neither sold (status or phase) nor archived. Only
    /// in-stock vehicles hold their plate (Decision 2); the partial unique
    /// index in migration 0002 repeats this predicate.
    pub fn in_stock(&self) -> bool {
        !matches!(
            self.status,
            VehicleStatus::Vendido | VehicleStatus::Arquivado
        ) && !matches!(self.phase, VehiclePhase::Vendido | VehiclePhase::Entregue)
    }

    /// The plate's duplicate key (upper case, no dash).
    pub fn plate_key(&self) -> Option<String> {
        self.plate
            .as_deref()
            .and_then(|p| Plate::parse(p).ok())
            .map(|p| p.normalized().to_owned())
    }

    /// What `search` matches: title, brand, model, version, plate.
    pub fn search_document(&self) -> String {
        let plate = self.plate_key();
        text::search_document([
            Some(self.title.as_str()),
            self.brand.as_deref(),
            self.model.as_deref(),
            self.version.as_deref(),
            self.plate.as_deref(),
            plate.as_deref(),
        ])
    }
}

/// What a vehicle was before a sale marked it sold: put back when the sale
/// is cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreSale {
    /// The status the sale replaced.
    pub status: VehicleStatus,
    /// The phase the sale replaced.
    pub phase: VehiclePhase,
}

impl VehiclePhase {
    /// A known stage of a car still for sale.
    fn in_stock(&self) -> bool {
        matches!(
            self,
            Self::Entrada | Self::Preparacao | Self::Anunciado | Self::Reservado
        )
    }

    /// A known stage of a car sold (sold or delivered).
    fn sold(&self) -> bool {
        matches!(self, Self::Vendido | Self::Entregue)
    }
}

impl VehicleStatus {
    /// A known status of a car still for sale.
    fn in_stock(&self) -> bool {
        matches!(self, Self::Ativo | Self::Disponivel | Self::Reservado)
    }
}

/// Whether a status and a phase contradict each other: `vendido` with a
/// stage of a car still for sale (`vendido · entrada`), or a sold stage
/// with a status for sale (`ativo · vendido`). Values outside the known
/// vocabularies, and `arquivado`, contradict nothing.
pub fn contradicts(status: &VehicleStatus, phase: &VehiclePhase) -> bool {
    (*status == VehicleStatus::Vendido && phase.in_stock()) || (phase.sold() && status.in_stock())
}

/// What a change of a sale does to the stock: the vehicle a sale stopped
/// holding (returned, unless another sale still holds it) and the one a
/// sale now holds (sold). `before`/`after` are the vehicle the record sold
/// before and after the write (`Deal::sold_vehicle`,
/// `FinancialRecord::sold_vehicle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StockMoves {
    /// Back to stock.
    pub release: Option<VehicleId>,
    /// Sold.
    pub sell: Option<VehicleId>,
}

/// The moves between what a record sold before and after a write.
pub fn stock_moves(before: Option<VehicleId>, after: Option<VehicleId>) -> StockMoves {
    if before == after {
        return StockMoves::default();
    }
    StockMoves {
        release: before,
        sell: after,
    }
}

impl Vehicle {
    /// Marks the vehicle sold by a sale: status `vendido` and phase
    /// `vendido` (`entregue` stays: delivery comes after the sale). Returns
    /// what it was, to put back if the sale is cancelled; `None` when it
    /// was already `vendido` (then only a contradicting phase is fixed, and
    /// cancelling the sale leaves it sold: the sale did not make it so).
    pub fn mark_sold(&mut self) -> Option<PreSale> {
        let was = PreSale {
            status: self.status.clone(),
            phase: self.phase.clone(),
        };
        if self.phase != VehiclePhase::Entregue {
            self.phase = VehiclePhase::Vendido;
        }
        if self.status == VehicleStatus::Vendido {
            return None;
        }
        self.status = VehicleStatus::Vendido;
        Some(was)
    }

    /// Puts back what a cancelled sale had changed, if the vehicle is still
    /// as a sale leaves it (`vendido`): a status set by hand since wins.
    /// Whether anything changed.
    pub fn return_to_stock(&mut self, was: PreSale) -> bool {
        if self.status != VehicleStatus::Vendido {
            return false;
        }
        self.status = was.status;
        self.phase = was.phase;
        true
    }

    /// Keeps status and phase from contradicting each other after a write
    /// by hand (API or panel) that changed one of them: the other follows
    /// — `status: vendido` on a car in `entrada` moves it to phase
    /// `vendido`; phase `vendido`/`entregue` on an `ativo` car makes it
    /// `vendido`; a sold car put back to `ativo` restarts at `entrada`; a
    /// `vendido` car moved back to a stage for sale becomes `ativo`. A
    /// write that sets both to contradicting values is refused (the phase
    /// is named).
    pub fn reconcile_sale(&mut self, before: &Vehicle) -> Result<(), FieldError> {
        if !contradicts(&self.status, &self.phase) {
            return Ok(());
        }
        let status_changed = self.status != before.status;
        let phase_changed = self.phase != before.phase;
        match (status_changed, phase_changed) {
            (true, false) if self.status == VehicleStatus::Vendido => {
                self.phase = VehiclePhase::Vendido;
            }
            (true, false) => self.phase = VehiclePhase::Entrada,
            (false, true) if self.phase.sold() => self.status = VehicleStatus::Vendido,
            (false, true) => self.status = VehicleStatus::Ativo,
            // Both sent, contradicting: the client must choose.
            (true, true) => {
                return Err(FieldError::invalid(
                    "phase",
                    format!(
                        "Campo 'phase' ('{}') contradiz o status '{}'",
                        self.phase.as_str(),
                        self.status.as_str()
                    ),
                ))
            }
            // Neither changed: a contradiction stored earlier stays until
            // one of them is written.
            (false, false) => {}
        }
        Ok(())
    }
}

/// A model or manufacture year between 1900 and `current_year + 2`.
pub fn parse_year(field: &str, year: i64, current_year: i32) -> Result<i32, FieldError> {
    let max = i64::from(current_year) + 2;
    if year < MIN_YEAR {
        return Err(text::below(field, MIN_YEAR));
    }
    if year > max {
        return Err(text::above(field, max));
    }
    i32::try_from(year).map_err(|_| text::above(field, max))
}

/// Kilometres: zero or more (a new car has 0).
pub fn parse_mileage(field: &str, km: i64) -> Result<i64, FieldError> {
    if km < 0 {
        return Err(text::below(field, 0));
    }
    Ok(km)
}

/// Doors: 0..=10.
pub fn parse_doors(field: &str, doors: i64) -> Result<i32, FieldError> {
    if doors < 0 {
        return Err(text::below(field, 0));
    }
    if doors > MAX_DOORS {
        return Err(text::above(field, MAX_DOORS));
    }
    i32::try_from(doors).map_err(|_| text::above(field, MAX_DOORS))
}

/// A plate as typed: old (`ABC1234`, `ABC-1234`) or Mercosul (`ABC1D23`).
pub fn parse_plate(field: &str, value: &str) -> Result<String, FieldError> {
    if value.trim().chars().count() > MAX_PLATE {
        return Err(text::too_long(field, MAX_PLATE));
    }
    Plate::parse(value)
        .map(|p| p.as_str().to_owned())
        .map_err(|e| document_problem(field, "uma", "placa", e))
}

/// A VIN (17 characters).
pub fn parse_chassis(field: &str, value: &str) -> Result<String, FieldError> {
    Vin::parse(value)
        .map(|v| v.as_str().to_owned())
        .map_err(|e| document_problem(field, "um", "chassi (VIN)", e))
}

/// A RENAVAM; check digit only under `Strict`, like CPF/CNPJ.
pub fn parse_renavam(
    field: &str,
    value: &str,
    strictness: Strictness,
) -> Result<String, FieldError> {
    Renavam::parse(value, strictness)
        .map(|r| r.as_str().to_owned())
        .map_err(|e| document_problem(field, "um", "RENAVAM", e))
}

/// A free-vocabulary label (`fuel`, `transmission`, `body_type`): any
/// non-empty text, stored lower case (§4.2: only one value of each is
/// documented, so others are accepted).
pub fn parse_label(field: &str, value: &str) -> Result<Option<String>, FieldError> {
    text::optional_text(field, value, text::MAX_SHORT).map(|v| v.map(|s| s.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_follow_the_vocabulary() {
        assert_eq!(
            VehiclePhase::parse("phase", "ENTRADA"),
            Ok(VehiclePhase::Entrada)
        );
        assert_eq!(
            VehicleStatus::parse("status", "arquivado"),
            Ok(VehicleStatus::Arquivado)
        );
        let custom = VehicleStatus::parse("status", " Consignado ").expect("open vocabulary");
        assert_eq!(custom.as_str(), "consignado");
        assert!(!custom.is_known());
        assert_eq!(VehicleStatus::from_wire("consignado"), Some(custom));
        assert_eq!(
            VehiclePhase::parse("phase", "pronto").map(|p| p.as_str().to_owned()),
            Ok("pronto".to_owned())
        );
        assert_eq!(
            VehiclePhase::parse("phase", "  ").map_err(|e| e.kind),
            Err("required")
        );
        assert_eq!(
            VehicleStatus::parse("status", "ven\u{0}dido").map_err(|e| e.kind),
            Err("invalid")
        );
    }

    #[test]
    fn numeric_ranges() {
        assert_eq!(parse_year("year_model", 2024, 2026), Ok(2024));
        assert_eq!(parse_year("year_model", 2028, 2026), Ok(2028));
        assert_eq!(
            parse_year("year_model", 2029, 2026).map_err(|e| e.kind),
            Err("max")
        );
        assert_eq!(
            parse_year("year_model", 1899, 2026).map_err(|e| e.kind),
            Err("min")
        );
        assert_eq!(parse_mileage("mileage", 0), Ok(0));
        assert!(parse_mileage("mileage", -1).is_err());
        assert!(parse_doors("doors", 11).is_err());
    }

    #[test]
    fn plates_and_stock() {
        assert_eq!(parse_plate("plate", " ABC1D23 ").as_deref(), Ok("ABC1D23"));
        assert!(parse_plate("plate", "abc-1234").is_ok());
        assert_eq!(
            parse_plate("plate", "ABCD123").map_err(|e| e.message),
            Err("Campo 'plate' não é uma placa em formato válido".to_owned())
        );
        assert_eq!(
            parse_plate("plate", "ABC1D23ABCDE").map_err(|e| e.kind),
            Err("max")
        );
        let mut v = Vehicle::new("Civic".into(), StoreId::new());
        v.plate = Some("abc-1234".into());
        assert_eq!(v.plate_key().as_deref(), Some("ABC1234"));
        assert!(v.in_stock());
        v.phase = VehiclePhase::Vendido;
        assert!(!v.in_stock());
        v.phase = VehiclePhase::Entrada;
        v.status = VehicleStatus::Arquivado;
        assert!(!v.in_stock());
    }

    #[test]
    fn labels_are_lowercased() {
        assert_eq!(parse_label("fuel", " Flex "), Ok(Some("flex".into())));
        assert_eq!(parse_label("fuel", ""), Ok(None));
    }

    #[test]
    fn a_sale_marks_sold_and_cancelling_it_puts_back_what_it_was() {
        let mut v = Vehicle::new("Civic".into(), StoreId::new());
        v.phase = VehiclePhase::Anunciado;
        let was = v.mark_sold().expect("the sale changed it");
        assert_eq!(
            (&v.status, &v.phase),
            (&VehicleStatus::Vendido, &VehiclePhase::Vendido)
        );
        assert!(!contradicts(&v.status, &v.phase));
        assert!(v.return_to_stock(was.clone()));
        assert_eq!(
            (&v.status, &v.phase),
            (&VehicleStatus::Ativo, &VehiclePhase::Anunciado)
        );
        // Delivered stays delivered.
        v.phase = VehiclePhase::Entregue;
        v.status = VehicleStatus::Reservado;
        assert!(v.mark_sold().is_some());
        assert_eq!(v.phase, VehiclePhase::Entregue);
        // Already sold by hand: nothing to remember, a contradicting phase fixed.
        let mut by_hand = Vehicle::new("Onix".into(), StoreId::new());
        by_hand.status = VehicleStatus::Vendido;
        assert_eq!(by_hand.mark_sold(), None);
        assert_eq!(by_hand.phase, VehiclePhase::Vendido);
        // Put back to stock by hand since: the cancelled sale changes nothing.
        let mut v = Vehicle::new("HB20".into(), StoreId::new());
        let was = v.mark_sold().expect("sold");
        v.status = VehicleStatus::Ativo;
        v.phase = VehiclePhase::Preparacao;
        assert!(!v.return_to_stock(was));
        assert_eq!(v.phase, VehiclePhase::Preparacao);
    }

    #[test]
    fn status_and_phase_follow_each_other_on_writes_by_hand() {
        let before = Vehicle::new("Civic".into(), StoreId::new());
        let mut v = before.clone();
        v.status = VehicleStatus::Vendido;
        assert_eq!(v.reconcile_sale(&before), Ok(()));
        assert_eq!(
            v.phase,
            VehiclePhase::Vendido,
            "vendido · entrada never stays"
        );
        let sold = v.clone();
        let mut back = sold.clone();
        back.status = VehicleStatus::Ativo;
        assert_eq!(back.reconcile_sale(&sold), Ok(()));
        assert_eq!(back.phase, VehiclePhase::Entrada);
        let mut delivered = before.clone();
        delivered.phase = VehiclePhase::Entregue;
        assert_eq!(delivered.reconcile_sale(&before), Ok(()));
        assert_eq!(delivered.status, VehicleStatus::Vendido);
        let mut staged = sold.clone();
        staged.phase = VehiclePhase::Anunciado;
        assert_eq!(staged.reconcile_sale(&sold), Ok(()));
        assert_eq!(staged.status, VehicleStatus::Ativo);
        let mut both = before.clone();
        both.status = VehicleStatus::Vendido;
        both.phase = VehiclePhase::Preparacao;
        assert_eq!(
            both.reconcile_sale(&before).map_err(|e| e.field),
            Err("phase".to_owned())
        );
        // Open values contradict nothing.
        let mut custom = before.clone();
        custom.status = VehicleStatus::parse("status", "consignado").expect("label");
        custom.phase = VehiclePhase::Vendido;
        assert!(!contradicts(&custom.status, &custom.phase));
        let mut archived = sold.clone();
        archived.status = VehicleStatus::Arquivado;
        assert_eq!(archived.reconcile_sale(&sold), Ok(()));
        assert_eq!(archived.phase, VehiclePhase::Vendido);
    }

    #[test]
    fn moves_between_what_a_record_sold_before_and_after() {
        let (a, b) = (VehicleId::new(), VehicleId::new());
        assert_eq!(stock_moves(None, None), StockMoves::default());
        assert_eq!(stock_moves(Some(a), Some(a)), StockMoves::default());
        assert_eq!(
            stock_moves(None, Some(a)),
            StockMoves {
                release: None,
                sell: Some(a)
            }
        );
        assert_eq!(
            stock_moves(Some(a), None),
            StockMoves {
                release: Some(a),
                sell: None
            }
        );
        assert_eq!(
            stock_moves(Some(a), Some(b)),
            StockMoves {
                release: Some(a),
                sell: Some(b)
            }
        );
    }
}
