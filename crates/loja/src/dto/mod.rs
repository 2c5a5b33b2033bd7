//! The typed `data` of every Loja answer (ecommloja-api.md §3.0): one serde
//! struct per documented shape, fields in the documented key order, and the
//! value types below for the API's string-typed numbers (§1.6). The same
//! types give the OpenAPI document its schemas (utoipa `ToSchema`), so what
//! is served and what is documented cannot drift.

pub(crate) mod catalog;
pub(crate) mod media;
pub(crate) mod orders;
pub(crate) mod products;
pub(crate) mod shop;

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};
use serde_json::json;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};
use vitrine_core::catalog::{format_money, format_money_short, format_weight, ProductType};
use vitrine_core::ids::{
    BannerId, BrandId, CartId, CartLineId, CategoryId, CommentId, CustomerId, GridId, ImageId,
    ManufacturerId, OrderId, ProductGridId, ProductId, SaleId, SubcategoryId, TagId, VariationId,
    VarietyId,
};

use crate::wire;

/// The schemas a type refers to, by name (what `ToSchema::schemas` collects).
pub(crate) type Schemas = Vec<(String, RefOr<Schema>)>;

/// A string schema with a pattern and an example.
fn text_schema(description: &str, pattern: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some(description))
        .pattern(Some(pattern))
        .examples([example])
        .into()
}

/// A value type written as a string, with its schema under a fixed name.
macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident($inner:ty), |$v:ident| $render:expr, $description:expr, $pattern:expr, $example:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) struct $name(pub $inner);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let $v = self.0;
                serializer.collect_str(&$render)
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                text_schema($description, $pattern, $example)
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

text_value!(
    /// An integer as a decimal string (`"20"`): ids, counts, codes (§1.6).
    Int(i64),
    |v| v,
    "An integer written as a decimal string",
    "^-?[0-9]+$",
    "20"
);

text_value!(
    /// Money with exactly two decimals (`"150.23"`, `"0.00"`).
    Money(i64),
    |v| format_money(v),
    "Money in reais with exactly two decimals",
    "^-?[0-9]+\\.[0-9]{2}$",
    "150.23"
);

text_value!(
    /// Money in the shortest decimal form (`"100"`, `"194.47"`): a
    /// product variation's `price`, an order's `value` (§1.6).
    MoneyShort(i64),
    |v| format_money_short(v),
    "Money in reais in its shortest decimal form",
    "^-?[0-9]+(\\.[0-9]{1,2})?$",
    "194.47"
);

text_value!(
    /// A weight in kilograms with three decimals (`"0.200"`).
    Weight(i64),
    |v| format_weight(v),
    "Weight in kilograms with exactly three decimals",
    "^-?[0-9]+\\.[0-9]{3}$",
    "0.200"
);

text_value!(
    /// A flag, `"1"` or `"0"`.
    Flag(bool),
    |v| wire::flag(v),
    "A flag: \"1\" (yes) or \"0\" (no)",
    "^[01]$",
    "1"
);

text_value!(
    /// A store-local datetime, `"2022-05-16 10:36:47"`.
    LocalTime(DateTime<Utc>),
    |v| wire::datetime(v),
    "Store-local date and time, YYYY-MM-DD HH:MM:SS",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
    "2022-05-16 10:36:47"
);

/// The store's typed ids, written as the API writes every id.
macro_rules! int_from_ids {
    ($($id:ty),*) => {$(
        impl From<$id> for Int {
            fn from(id: $id) -> Self {
                Self(id.0)
            }
        }
    )*};
}

int_from_ids!(
    ProductId,
    VariationId,
    ProductGridId,
    VarietyId,
    GridId,
    CategoryId,
    SubcategoryId,
    BrandId,
    ManufacturerId,
    TagId,
    ImageId,
    CommentId,
    SaleId,
    BannerId,
    CustomerId,
    CartId,
    CartLineId,
    OrderId
);

impl From<ProductType> for Int {
    fn from(t: ProductType) -> Self {
        Self(i64::from(t.code()))
    }
}

/// A unit's price as E01 writes it: the shortest form for a product
/// variation (`"100"`), two decimals otherwise (`"80.50"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UnitPrice {
    /// Centavos.
    pub cents: i64,
    /// Shortest decimal form.
    pub short: bool,
}

impl Serialize for UnitPrice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.short {
            MoneyShort(self.cents).serialize(serializer)
        } else {
            Money(self.cents).serialize(serializer)
        }
    }
}

impl PartialSchema for UnitPrice {
    fn schema() -> RefOr<Schema> {
        text_schema(
            "Money in reais: the shortest decimal form for a product variation, two decimals otherwise",
            "^-?[0-9]+(\\.[0-9]{1,2})?$",
            "100",
        )
    }
}

impl ToSchema for UnitPrice {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("UnitPrice")
    }
}

/// `[]`: what the API writes for "none" where a list or an object goes
/// (an empty `parent`, `variety`, `data` of writes and failures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EmptyList;

impl Serialize for EmptyList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(std::iter::empty::<()>())
    }
}

impl PartialSchema for EmptyList {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .description(Some("An empty list: nothing here"))
            .max_items(Some(0))
            .into()
    }
}

impl ToSchema for EmptyList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EmptyList")
    }
}

/// An object, or `[]` when there is none (PHP's empty array): declares
/// `$name` holding a `$inner` or nothing, with its `oneOf` schema (`parent`
/// of E02 and E32, `variety` of a cart line).
macro_rules! or_empty {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        // `allow`, not `expect`: only the large instantiations trip it.
        #[allow(
            clippy::large_enum_variant,
            reason = "a response value, built and serialised at once: boxing buys nothing"
        )]
        pub(crate) enum $name {
            /// The object.
            Some($inner),
            /// `[]`.
            Empty,
        }

        impl From<Option<$inner>> for $name {
            fn from(value: Option<$inner>) -> Self {
                value.map_or(Self::Empty, Self::Some)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Some(value) => value.serialize(serializer),
                    Self::Empty => $crate::dto::EmptyList.serialize(serializer),
                }
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::ToSchema as _;
                utoipa::openapi::schema::OneOfBuilder::new()
                    .item(utoipa::openapi::Ref::from_schema_name(<$inner>::name()))
                    .item(utoipa::openapi::Ref::from_schema_name($crate::dto::EmptyList::name()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schemas(schemas: &mut $crate::dto::Schemas) {
                use utoipa::PartialSchema as _;
                schemas.push((<$inner>::name().into_owned(), <$inner>::schema()));
                <$inner as utoipa::ToSchema>::schemas(schemas);
                schemas.push((
                    $crate::dto::EmptyList::name().into_owned(),
                    $crate::dto::EmptyList::schema(),
                ));
            }
        }
    };
}
pub(crate) use or_empty;

/// `{"id": "<new id>"}`: what the extensions that create answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NewId {
    /// The new record's id.
    pub id: Int,
}

/// `{}`: an order's `customer` once the customer is gone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(std::iter::empty::<((), ())>())
    }
}

impl PartialSchema for EmptyObject {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some("An empty object"))
            .max_properties(Some(0))
            .into()
    }
}

impl ToSchema for EmptyObject {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EmptyObject")
    }
}

/// A money total as a JSON number (E64 `price`, E65): `0` as an integer,
/// as the doc shows an empty cart, else the float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Total(pub i64);

impl Serialize for Total {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 == 0 {
            serializer.serialize_i64(0)
        } else {
            serializer.serialize_f64(vitrine_core::order::cents_to_f64(self.0))
        }
    }
}

impl PartialSchema for Total {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Number))
            .description(Some("Money in reais as a JSON number (0 as an integer)"))
            .examples([json!(2917.05)])
            .into()
    }
}

impl ToSchema for Total {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Total")
    }
}
