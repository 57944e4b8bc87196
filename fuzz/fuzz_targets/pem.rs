//! Pasted or uploaded TLS material of any kind (PEM, DER, base64, PKCS#12,
//! keys, CSRs, SSH keys): recognition and key reading never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::cert::{key, pem};

fuzz_target!(|data: &[u8]| {
    let decoded = pem::decode(data, "cert");
    for b in &decoded.blocks {
        let _ = pem::classify_der(&b.der);
    }
    let _ = pem::classify_der(data);
    let _ = key::read_key(data);
});
