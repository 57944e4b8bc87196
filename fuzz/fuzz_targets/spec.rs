//! A spec file (YAML or JSON) as `generate --spec` and the JS API read it:
//! parsing never panics; a spec that parses generates without panicking,
//! its JSON form reads back to the same spec, and output exists exactly
//! when no finding is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::{Spec, generate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parsed in [Spec::from_text(text), Spec::from_json(text)] {
        let Ok(spec) = parsed else { continue };
        let again = Spec::from_json(&spec.to_json()).expect("a spec's own JSON reads back");
        assert_eq!(again, spec, "JSON round trip");
        let g = generate(&spec);
        let errors = g.findings.iter().any(|f| f.is_error());
        assert_eq!(g.output.is_some(), !errors, "output exactly when no error");
    }
});
