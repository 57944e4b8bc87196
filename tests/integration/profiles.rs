//! Platform profiles against the official CRDs (`../shared/crds/`, read-only
//! test data; its PROVENANCE.txt says where each file comes from): for
//! every profile, the objects msr-expose writes are at versions the
//! profile's Gateway API CRDs serve, and the TLSRoute is at a version its
//! controller watches (the profile's table, from its sources). Without
//! shared/ the test says so; under CI=true it fails.

use msr_expose_core::platform::{Channel, PROFILES, Platform};
use msr_expose_core::{Spec, generate};
use std::path::PathBuf;

pub(crate) fn crds() -> Option<PathBuf> {
    msr_expose_tests::shared("crds")
}

/// The versions a CRD file serves (`spec.versions[].served`).
fn served(dir: &std::path::Path, file: &str) -> (String, String, Vec<String>) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let crd: serde_yaml::Value = serde_yaml::from_str(&text).expect("a CRD");
    let group = crd["spec"]["group"].as_str().expect("group").to_string();
    let kind = crd["spec"]["names"]["kind"]
        .as_str()
        .expect("kind")
        .to_string();
    let versions = crd["spec"]["versions"]
        .as_sequence()
        .expect("versions")
        .iter()
        .filter(|v| v["served"].as_bool() == Some(true))
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect();
    (group, kind, versions)
}

/// The CRD files of a profile's Gateway API release and channel: the
/// release itself where shared/ has it (1.4.1 experimental), else the
/// newest standard channel there (1.6.1), whose TLSRoute and ListenerSet
/// are those of 1.5.
pub(crate) fn files_for(p: &msr_expose_core::platform::Profile) -> [&'static str; 3] {
    match p.gateway_api.map(|g| (g.version, g.channel)) {
        Some(("1.4.1", Channel::Experimental)) => [
            "gateway-api-v1.4.1-experimental-gateways.yaml",
            "gateway-api-v1.4.1-experimental-tlsroutes.yaml",
            "gateway-api-v1.4.1-experimental-xlistenersets.yaml",
        ],
        _ => [
            "gateway-api-v1.6.1-standard-gateways.yaml",
            "gateway-api-v1.6.1-standard-tlsroutes.yaml",
            "gateway-api-v1.6.1-standard-listenersets.yaml",
        ],
    }
}

#[test]
fn every_profile_writes_what_its_crds_serve_and_its_controller_watches() {
    let Some(dir) = crds() else { return };
    let mut checked = 0;
    for p in PROFILES {
        if p.tlsroute_watched.is_empty() {
            // Asked for, never guessed (platform.undocumented): the
            // platform's own table test holds that.
            continue;
        }
        let served: Vec<_> = files_for(p).iter().map(|f| served(&dir, f)).collect();
        // A Gateway msr-expose creates, and a route to an existing ListenerSet.
        for parent in ["gatewayClassName: eg", "listenerSetName: shared"] {
            let yaml = format!(
                "platform: {}\nmethod: gateway\nexternalFqdn: cache.example.com\n{parent}\n",
                p.platform.name()
            );
            let spec = Spec::from_text(&yaml).expect("spec");
            let g = generate(&spec);
            let out = g
                .output
                .unwrap_or_else(|| panic!("{yaml}: {:?}", g.findings));
            for o in out.manifest.items() {
                let (group, version) = o.api_version.split_once('/').expect("group/version");
                let (_, _, versions) = served
                    .iter()
                    .find(|(g, k, _)| g == group && *k == o.kind)
                    .unwrap_or_else(|| {
                        panic!("{}: no CRD for {} {}", p.platform, o.api_version, o.kind)
                    });
                assert!(
                    versions.iter().any(|v| v == version),
                    "{}: {} {} is not served by {:?} ({versions:?})",
                    p.platform,
                    o.kind,
                    o.api_version,
                    files_for(p)
                );
                if o.kind == "TLSRoute" {
                    assert!(
                        p.tlsroute_watched.contains(&version),
                        "{}: TLSRoute {version} is not watched",
                        p.platform
                    );
                    let route: serde_json::Value = serde_json::to_value(&o.body).expect("json");
                    let parent_ref = &route["spec"]["parentRefs"][0];
                    let parent_group = parent_ref["group"].as_str().expect("group");
                    let parent_kind = parent_ref["kind"].as_str().expect("kind");
                    assert!(
                        served
                            .iter()
                            .any(|(g, k, _)| g == parent_group && k == parent_kind),
                        "{}: the route's parent {parent_group} {parent_kind} has no CRD in the profile's release",
                        p.platform
                    );
                }
            }
            checked += 1;
        }
    }
    println!("{checked} profile outputs: served by their CRDs, watched by their controllers");
    assert!(checked >= 10, "{checked}");
}

/// Every platform has one profile, and the MKE ones name their sources.
#[test]
fn every_platform_has_a_sourced_profile() {
    for p in Platform::ALL {
        let profile = msr_expose_core::platform::profile(*p);
        assert_eq!(profile.platform, *p);
        assert!(!profile.sources.is_empty(), "{p}");
    }
    assert_eq!(PROFILES.len(), Platform::ALL.len());
}
