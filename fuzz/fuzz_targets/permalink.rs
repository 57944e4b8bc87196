//! A link's fragment as the page reads it (`#spec=…`, or a host page's own
//! anchor): never panics; a spec read from a link writes back to a link
//! that reads the same (or to none, when too long for a link).
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::permalink;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(spec)) = permalink::decode(text)
        && let Some(link) = permalink::encode(&spec)
    {
        assert_eq!(permalink::decode(&link), Ok(Some(spec)), "{link}");
    }
});
