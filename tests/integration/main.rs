//! The integration tests, as one binary (`autotests = false`).

mod apply;
mod apply_versions;
mod architecture;
mod bad_inputs;
mod certs;
mod cli_generate;
mod cli_shell;
mod clients;
mod crd_rules;
mod fleet;
mod fleet_up;
mod fleet_verify;
mod fqdn_table;
mod go_reference;
mod golden;
mod idna_conformance;
mod kubectl_plugin;
mod kubernetes_schema;
mod limbo;
mod profiles;
mod properties;
mod roundtrip;
mod shell_safety;
mod specs;
mod verify;
mod wycheproof_vectors;
