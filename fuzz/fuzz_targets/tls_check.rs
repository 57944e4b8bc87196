//! The whole certificate check (`check --cert --key --ca`, the page's TLS
//! card): the input is cut into certificate, key and CA by its first bytes;
//! the check never panics and reports "usable" only without error findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::{HostRole, TlsInput, check_host};

fuzz_target!(|data: &[u8]| {
    let Some((&[a, b, flags], rest)) = data.split_first_chunk::<3>().map(|(h, r)| (h, r)) else {
        return;
    };
    let cut1 = usize::from(a) * rest.len() / 256;
    let cut2 = cut1 + usize::from(b) * (rest.len() - cut1) / 256;
    let (cert, tail) = rest.split_at(cut1);
    let (key, ca) = tail.split_at(cut2 - cut1);
    let host = check_host("cache.example.com", "externalFqdn", HostRole::IngressHost).host;
    let input = TlsInput {
        cert,
        key: (flags & 1 == 1).then_some(key),
        ca: (flags & 2 == 2).then_some(ca),
    };
    // 2026-11-26T00:00:00Z: a fixed clock, as the tests use.
    let report = msr_expose_crypto::check_tls(&input, host.as_ref(), 1_795_651_200);
    let _ = serde_json::to_string(&report).expect("a report serialises");
});
