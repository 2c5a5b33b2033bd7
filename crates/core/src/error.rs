//! The core error: what a rule can say about a command.

/// One problem with one input field, in the vocabulary both faces render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field as the client named it (`email`, `store_id`, `inputs[3].sku`).
    pub field: String,
    /// What is wrong: `required`, `invalid`, `enum`, `min`, `max`, `not_found`, `duplicate`.
    pub kind: &'static str,
    /// A human sentence in Portuguese, shown as is.
    pub message: String,
    /// For `enum` problems, the accepted values (Auto renders them as
    /// `details.allowed`, ecosys-auto-api.md §3.4); empty otherwise.
    pub allowed: Vec<String>,
}

impl FieldError {
    /// A missing required field, with the documented wording.
    pub fn required(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            kind: "required",
            message: format!("Campo '{field}' é obrigatório"),
            allowed: Vec::new(),
        }
    }

    /// A value of the wrong shape.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            kind: "invalid",
            message: message.into(),
            allowed: Vec::new(),
        }
    }
}

/// Why core refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input that fails its rules; every problem found, not only the first.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
}

impl Error {
    /// A single-field `Invalid`.
    pub fn field(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}
