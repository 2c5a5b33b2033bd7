//! CRM clients: people (PF) and companies (PJ) (ecosys-auto-api.md §4.1).

use chrono::NaiveDate;

use crate::doc::{digits_key, Cep, Cnpj, Cpf, DocError, Strictness};
use crate::ids::StoreId;
use crate::text;
use crate::FieldError;

/// Declares a closed enum with its wire spellings and a parser.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            /// Every value, in documented order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];
            /// Every wire spelling, in documented order.
            pub const WIRE: &'static [&'static str] = &[$($wire,)*];

            /// The documented spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $wire,)* }
            }

            /// Exact match on the documented spelling.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $($wire => Some(Self::$variant),)* _ => None }
            }

            /// Parses a field value: trimmed, compared case-insensitively,
            /// anything else is an `enum` problem naming the allowed values.
            pub fn parse(field: &str, s: &str) -> Result<Self, $crate::FieldError> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| $crate::text::not_in_enum(field, Self::WIRE))
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum! {
    /// PF (pessoa física) or PJ (pessoa jurídica).
    ClientType {
        /// A person.
        Pf = "PF",
        /// A company.
        Pj = "PJ",
    }
}

wire_enum! {
    /// Commercial segment (documented list, S6).
    Segment {
        /// VIP.
        Vip = "vip",
        /// Premium.
        Premium = "premium",
        /// Regular.
        Regular = "regular",
        /// Occasional.
        Occasional = "occasional",
    }
}

wire_enum! {
    /// Client status; English values, unlike vehicles and deals (G27).
    ClientStatus {
        /// Default.
        Active = "active",
        /// Deactivated (`DELETE /clients/:id`).
        Inactive = "inactive",
    }
}

/// A postal address; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Logradouro.
    pub street: Option<String>,
    /// Número.
    pub number: Option<String>,
    /// Complemento.
    pub complement: Option<String>,
    /// Bairro.
    pub neighborhood: Option<String>,
    /// Cidade.
    pub city: Option<String>,
    /// UF, two letters, upper case.
    pub state: Option<String>,
    /// CEP as typed (`01310-100`).
    pub zip_code: Option<String>,
    /// País.
    pub country: Option<String>,
}

impl Address {
    /// True when no part is set; such an address is stored as none.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Everything a client holds besides its id and timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// PF or PJ.
    pub kind: ClientType,
    /// Full name or company name.
    pub name: String,
    /// Short name.
    pub display_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile_phone: Option<String>,
    /// WhatsApp number.
    pub whatsapp: Option<String>,
    /// CPF as typed.
    pub cpf: Option<String>,
    /// RG.
    pub rg: Option<String>,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Gender (free text).
    pub gender: Option<String>,
    /// Marital status (free text).
    pub marital_status: Option<String>,
    /// Nationality.
    pub nationality: Option<String>,
    /// CNPJ as typed.
    pub cnpj: Option<String>,
    /// Razão social.
    pub legal_name: Option<String>,
    /// Nome fantasia.
    pub trade_name: Option<String>,
    /// Inscrição estadual.
    pub state_registration: Option<String>,
    /// Segment.
    pub segment: Option<Segment>,
    /// Lead origin (free text).
    pub source: Option<String>,
    /// Active or inactive.
    pub status: ClientStatus,
    /// The store the client belongs to, if any.
    pub store_id: Option<StoreId>,
    /// Postal address.
    pub address: Option<Address>,
    /// Notes.
    pub notes: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

impl Client {
    /// A new active client with only the required fields.
    pub fn new(kind: ClientType, name: String) -> Self {
        Self {
            kind,
            name,
            display_name: None,
            email: None,
            phone: None,
            mobile_phone: None,
            whatsapp: None,
            cpf: None,
            rg: None,
            birth_date: None,
            gender: None,
            marital_status: None,
            nationality: None,
            cnpj: None,
            legal_name: None,
            trade_name: None,
            state_registration: None,
            segment: None,
            source: None,
            status: ClientStatus::Active,
            store_id: None,
            address: None,
            notes: None,
            tags: Vec::new(),
        }
    }

    /// The CPF's comparison key (digits only).
    pub fn cpf_key(&self) -> Option<String> {
        self.cpf.as_deref().map(digits_key)
    }

    /// The CNPJ's comparison key (digits and letters, upper case).
    pub fn cnpj_key(&self) -> Option<String> {
        self.cnpj.as_deref().map(digits_key)
    }

    /// Whether this client's CPF/CNPJ must be unique: every client except
    /// inactive ones (Decision 2).
    pub fn holds_documents(&self) -> bool {
        self.status != ClientStatus::Inactive
    }

    /// What `search` matches: name, e-mail, and CPF/CNPJ both as typed and
    /// as digits.
    pub fn search_document(&self) -> String {
        let cpf = self.cpf_key();
        let cnpj = self.cnpj_key();
        text::search_document([
            Some(self.name.as_str()),
            self.display_name.as_deref(),
            self.email.as_deref(),
            self.cpf.as_deref(),
            cpf.as_deref(),
            self.cnpj.as_deref(),
            cnpj.as_deref(),
        ])
    }
}

/// A CPF as typed (trimmed): 11 digits, masked or not; check digits only
/// under `Strict` (Decision 3).
pub fn parse_cpf(field: &str, value: &str, strictness: Strictness) -> Result<String, FieldError> {
    Cpf::parse(value, strictness)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| document_problem(field, "um", "CPF", e))
}

/// A CNPJ as typed (trimmed): 14 characters (2026 alphanumeric included);
/// check digits only under `Strict`.
pub fn parse_cnpj(field: &str, value: &str, strictness: Strictness) -> Result<String, FieldError> {
    Cnpj::parse(value, strictness)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| document_problem(field, "um", "CNPJ", e))
}

/// A CEP as typed (`01310-100` or `01310100`).
pub fn parse_zip(field: &str, value: &str) -> Result<String, FieldError> {
    Cep::parse(value)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| document_problem(field, "um", "CEP", e))
}

/// A UF: two ASCII letters, stored upper case.
pub fn parse_state(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser a sigla de UF com duas letras"),
        ))
    }
}

/// `article` agrees with `what` (`um CPF`, `uma placa`).
pub(crate) fn document_problem(field: &str, article: &str, what: &str, e: DocError) -> FieldError {
    let message = match e {
        DocError::Format => format!("Campo '{field}' não é {article} {what} em formato válido"),
        DocError::CheckDigits => {
            format!("Campo '{field}' tem dígitos verificadores de {what} inválidos")
        }
    };
    FieldError::invalid(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_case_insensitively_and_render_documented_spelling() {
        assert_eq!(ClientType::parse("type", "pf"), Ok(ClientType::Pf));
        assert_eq!(ClientType::Pj.as_str(), "PJ");
        assert_eq!(Segment::parse("segment", "Premium"), Ok(Segment::Premium));
        let e = Segment::parse("segment", "gold").expect_err("not documented");
        assert_eq!(e.kind, "enum");
        assert!(e.message.contains("vip, premium, regular, occasional"));
        assert_eq!(
            ClientStatus::from_wire("inactive"),
            Some(ClientStatus::Inactive)
        );
        assert_eq!(ClientStatus::from_wire("Inactive"), None);
    }

    #[test]
    fn documents_are_lenient_unless_strict() {
        assert_eq!(
            parse_cpf("cpf", " 123.456.789-00 ", Strictness::Lenient).as_deref(),
            Ok("123.456.789-00")
        );
        assert!(parse_cpf("cpf", "123.456.789-00", Strictness::Strict).is_err());
        assert!(parse_cpf("cpf", "987.654.321-00", Strictness::Strict).is_ok());
        assert!(parse_cpf("cpf", "1234", Strictness::Lenient).is_err());
        assert!(parse_cnpj("cnpj", "12.345.678/0001-90", Strictness::Lenient).is_ok());
        assert!(parse_cnpj("cnpj", "12.345.678/0001-90", Strictness::Strict).is_err());
        assert!(parse_cnpj("cnpj", "12.345.678/0001-95", Strictness::Strict).is_ok());
    }

    #[test]
    fn keys_and_search_document_use_digits() {
        let mut c = Client::new(ClientType::Pf, "João da Silva".into());
        c.cpf = Some("123.456.789-00".into());
        assert_eq!(c.cpf_key().as_deref(), Some("12345678900"));
        let doc = c.search_document();
        assert!(doc.contains("joao da silva"));
        assert!(doc.contains("12345678900"));
        assert!(c.holds_documents());
        c.status = ClientStatus::Inactive;
        assert!(!c.holds_documents());
    }

    #[test]
    fn address_parts() {
        assert_eq!(parse_state("address.state", "sp").as_deref(), Ok("SP"));
        assert!(parse_state("address.state", "São").is_err());
        assert!(parse_zip("address.zip_code", "01310-100").is_ok());
        assert!(parse_zip("address.zip_code", "0131").is_err());
        assert!(Address::default().is_empty());
    }
}
