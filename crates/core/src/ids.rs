//! Typed ids: one newtype per entity over a UUID, so swapped arguments stop
//! compiling. New ids are UUID v7 (time-ordered, kind to B-tree indexes).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    )*};
}

typed_id! {
    /// A tenant: a dealership group or a merchant.
    AccountId;
    /// A store (loja) of an account.
    StoreId;
    /// A panel user of an account.
    UserId;
    /// An Auto API key of an account.
    ApiKeyId;
    /// A Loja API credential pair of a store.
    CredentialId;
    /// A CRM client (PF or PJ) of an account (Auto API `/clients`).
    ClientId;
    /// A vehicle of an account's inventory (Auto API `/vehicles`).
    VehicleId;
    /// A sales-pipeline deal (Auto API `/deals`).
    DealId;
    /// A task, call, visit or test drive (Auto API `/activities`).
    ActivityId;
    /// An income or expense record (Auto API `/financial`).
    FinancialId;
    /// A webhook endpoint (Auto API `/webhooks`).
    WebhookId;
    /// An event written to the outbox.
    EventId;
    /// One event to deliver to one webhook endpoint.
    DeliveryId;
}

/// A record a request points at, to be checked against the caller's
/// account before the write (Auto API Decision 1: an unknown or foreign
/// one is a `not_found` problem on its field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A store id.
    Store(StoreId),
    /// A client id.
    Client(ClientId),
    /// A vehicle id.
    Vehicle(VehicleId),
    /// A deal id.
    Deal(DealId),
    /// A panel user's id (`responsible_id`).
    User(UserId),
    /// Not an id at all (e.g. the quickstart's `"uuid-do-cliente"`
    /// placeholder): it cannot name a record, so it is `not_found`.
    Malformed,
}

/// The references a request makes, each with the field that names it.
pub type References = Vec<(String, Reference)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_render_as_lowercase_uuids() {
        let id: StoreId = " 0192f0c2-7a3b-7cde-8f00-00000000abcd "
            .parse()
            .expect("valid");
        assert_eq!(id.to_string(), "0192f0c2-7a3b-7cde-8f00-00000000abcd");
        assert!("uuid-da-sua-loja".parse::<StoreId>().is_err());
    }

    #[test]
    fn new_ids_are_time_ordered() {
        let a = AccountId::new();
        let b = AccountId::new();
        assert!(a < b, "v7 ids sort by creation time");
    }
}
