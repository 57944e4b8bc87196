//! The CLI's small parsers for flag values: `--url`, `--resolve`,
//! `--timeout`, `--selector`. Never panic; what parses is in range and
//! writes back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::duration::{MAX, parse_duration};
use msr_expose_core::endpoint::{authority, parse_resolve, parse_url};
use msr_expose_core::spec::parse_selector;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((host, port)) = parse_url(text) {
        assert!(port != 0 && !host.is_empty());
        let again = parse_url(&format!("https://{}", authority(&host, port)));
        assert_eq!(again, Ok((host, port)));
    }
    if let Ok(r) = parse_resolve(text) {
        assert!(r.port != 0 && !r.host.is_empty());
    }
    if let Ok(d) = parse_duration(text) {
        assert!(d <= MAX);
    }
    let _ = parse_selector(text);
});
