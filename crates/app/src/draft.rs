//! What a change is made of: the face's validated input ([`Draft`]) and,
//! for a change to an existing record, that record as locked in the
//! write transaction ([`Locked`]).

use vitrine_core::ids::References;

/// What a face read from its input, ready to be written: the value, its
/// fields already checked by core's rules, and the records the input
/// named (checked against the account by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft<T> {
    /// The value to write.
    pub value: T,
    /// Each record the input named, with its field.
    pub references: References,
}

impl<T> Draft<T> {
    /// A draft of `value` naming `references`.
    pub fn new(value: T, references: References) -> Self {
        Self { value, references }
    }
}

/// A record read for update (its row locked) in the transaction that will
/// write it: changes apply to it as it is now. Only a use case's `lock`
/// makes one.
#[derive(Debug)]
pub struct Locked<R>(pub(crate) R);

impl<R> Locked<R> {
    /// The record as locked.
    pub fn record(&self) -> &R {
        &self.0
    }
}

impl<R> std::ops::Deref for Locked<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.0
    }
}
