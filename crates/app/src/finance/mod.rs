//! The dealership's money: income, expense and cost records (Auto API
//! §4.5 and the panel's Financeiro).

pub mod records;
