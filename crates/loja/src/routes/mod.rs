//! Loja handlers, one module per resource.

pub(crate) mod categories;
pub(crate) mod design;
pub(crate) mod products;
pub(crate) mod sales;
