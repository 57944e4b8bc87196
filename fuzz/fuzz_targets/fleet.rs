//! A fleet file (YAML or JSON) as `msr-expose fleet` and the fleet module
//! read it: parsing never panics; a fleet that parses is validated, and its
//! whole tree (`fleet generate`) is made without panicking, exactly when no
//! cache has an error, every path under a cache's directory or `gitops/`
//! or the README; and a cache added to a JSON fleet reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msr_expose_core::{fleet, fleet_files};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parsed in [fleet::from_text(text), fleet::from_json(text)] {
        let Ok(f) = parsed else { continue };
        let errors = fleet::validate(&f)
            .iter()
            .any(|(_, found)| found.iter().any(|x| x.is_error()));
        match fleet_files::tree(&f, &[]) {
            Ok(tree) => {
                assert!(!errors, "a tree only without errors");
                for file in &tree.files {
                    let top = file.path.split('/').next().unwrap_or_default();
                    assert!(
                        top == "gitops"
                            || file.path == "README.md"
                            || f.caches.iter().any(|c| c.name == top),
                        "{} is under a cache, gitops/ or the README",
                        file.path
                    );
                    assert!(!file.path.split('/').any(|s| s == ".." || s.is_empty()));
                }
            }
            Err(found) => assert!(found.iter().any(|x| x.is_error()), "withheld only by an error"),
        }
        if let Some(c) = f.caches.first()
            && let Ok(added) = fleet::add_cache("", &c.spec, &c.name)
        {
            let again = fleet::from_json(&added).expect("an added cache reads back");
            assert_eq!(again.caches[0].spec, c.spec, "the same spec");
        }
    }
});
