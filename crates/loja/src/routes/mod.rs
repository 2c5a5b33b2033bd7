//! Loja handlers, one module per resource.

pub(crate) mod brands;
pub(crate) mod categories;
pub(crate) mod design;
pub(crate) mod images;
pub(crate) mod manufacturers;
pub(crate) mod products;
pub(crate) mod sales;
pub(crate) mod tags;
