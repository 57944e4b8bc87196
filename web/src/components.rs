//! One component per file; each takes `XxxProps` and reports through `on*` callbacks.

pub mod cert_card;
pub mod cert_plan;
pub mod copy_button;
pub mod findings;
pub mod fleet;
pub mod manifest;
pub mod method_picker;
pub mod path_picture;
pub mod plan;
pub mod steps;
pub mod text_field;
pub mod tls_field;
