//! A host as typed into nodeFqdn / externalFqdn (IDN, IP literals, trailing
//! dots, mixed scripts): never panics; a usable host has no error finding
//! and checks the same when typed again in its ASCII form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::{HostRole, check_host};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for role in [HostRole::Node, HostRole::IngressHost] {
        let c = check_host(text, "nodeFqdn", role);
        let errors = c.findings.iter().any(|f| f.is_error());
        assert_eq!(c.host.is_some(), !errors, "a host exactly when no error");
        if let Some(h) = c.host {
            let again = check_host(&h.to_string(), "nodeFqdn", role);
            assert_eq!(again.host, Some(h));
        }
    }
});
