//! `/clients` on the wire (ecosys-auto-api.md §4.1): a client and its address.

use serde::Serialize;
use vitrine_core::client::Segment;
use vitrine_core::records::ClientRecord;

use crate::{date, timestamp};

/// A postal address on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddressOut {
    street: Option<String>,
    number: Option<String>,
    complement: Option<String>,
    neighborhood: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip_code: Option<String>,
    country: Option<String>,
}

/// A client on the wire: every field of the model, `null` where unset (G5, G8).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClientOut {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    mobile_phone: Option<String>,
    whatsapp: Option<String>,
    cpf: Option<String>,
    rg: Option<String>,
    birth_date: Option<String>,
    gender: Option<String>,
    marital_status: Option<String>,
    nationality: Option<String>,
    cnpj: Option<String>,
    legal_name: Option<String>,
    trade_name: Option<String>,
    state_registration: Option<String>,
    segment: Option<&'static str>,
    source: Option<String>,
    status: &'static str,
    store_id: Option<String>,
    address: Option<AddressOut>,
    notes: Option<String>,
    tags: Vec<String>,
    created_at: String,
    updated_at: String,
}

impl From<ClientRecord> for ClientOut {
    fn from(r: ClientRecord) -> Self {
        let c = r.client;
        Self {
            id: r.id.to_string(),
            kind: c.kind.as_str(),
            name: c.name,
            display_name: c.display_name,
            email: c.email,
            phone: c.phone,
            mobile_phone: c.mobile_phone,
            whatsapp: c.whatsapp,
            cpf: c.cpf,
            rg: c.rg,
            birth_date: c.birth_date.map(date),
            gender: c.gender,
            marital_status: c.marital_status,
            nationality: c.nationality,
            cnpj: c.cnpj,
            legal_name: c.legal_name,
            trade_name: c.trade_name,
            state_registration: c.state_registration,
            segment: c.segment.map(Segment::as_str),
            source: c.source,
            status: c.status.as_str(),
            store_id: c.store_id.map(|s| s.to_string()),
            address: c.address.map(|a| AddressOut {
                street: a.street,
                number: a.number,
                complement: a.complement,
                neighborhood: a.neighborhood,
                city: a.city,
                state: a.state,
                zip_code: a.zip_code,
                country: a.country,
            }),
            notes: c.notes,
            tags: c.tags,
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}
