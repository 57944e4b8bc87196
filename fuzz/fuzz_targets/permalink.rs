//! A link's fragment as the page reads it (`#spec=…`, a host page's own
//! anchor, other configurators' slots): never panics; a spec read from a
//! link writes back into the same fragment, which then reads the same spec
//! (or to none, when too long for a link), and another slot's part is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::permalink;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let other = permalink::decode_slot(text, "other");
    if let Ok(Some(spec)) = permalink::decode(text)
        && let Some(link) = permalink::with_slot(text, permalink::DEFAULT_SLOT, &spec)
    {
        assert_eq!(permalink::decode(&link), Ok(Some(spec)), "{link}");
        assert_eq!(permalink::decode_slot(&link, "other"), other, "{link}");
    }
});
