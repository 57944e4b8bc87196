//! The JS API of msr-expose (`generate`, `checkTls`, `validateFqdn`) as a
//! WebAssembly module of its own: the core and its bindings only, so that a
//! documentation site that calls the API does not download the configurator
//! page. The page (`msr-expose-web`) is built on top of it and shares its
//! WebCrypto answers to the core's crypto questions.

#[cfg(feature = "exports")]
mod api;
pub mod unicode;
pub mod webcrypto;
