//! Loja handlers, one module per resource.

pub(crate) mod design;
