//! What `fleet generate` writes (and the page's fleet "Download all"): per
//! cache, the bundle `generate --out-dir` writes for it, under `<cache>/`;
//! and a GitOps layout under `gitops/`:
//!
//! - `gitops/base/<method>/`: a Kustomize base per method and shape used —
//!   the manifest of the first cache of that shape, unchanged;
//! - `gitops/overlays/<cache>/`: the cache's overlay, the base with RFC 6902
//!   patches of everything that differs (names, namespaces, hosts, ports),
//!   computed by `json-patch` from the two objects, so that `kubectl
//!   kustomize` builds it to exactly the cache's manifest (a test holds it
//!   with real Kustomize);
//! - `gitops/argocd/applicationset.yaml`: an Argo CD ApplicationSet whose
//!   list generator has one element per cache (its overlay and its
//!   cluster), when the fleet names its repository (`gitops.repoURL`);
//! - `gitops/flux/<cache>.yaml`: a Flux Kustomization of the cache's
//!   overlay, for the Flux of the cache's cluster.
//!
//! And a `README.md` that lists the caches and how each engine takes them.
//! Deterministic: the same fleet gives the same bytes, in the same order.

use crate::bundle::{self, File};
use crate::codes::Code;
use crate::finding::Finding;
use crate::fleet::{Cache, Fleet, GITOPS_DIR};
use crate::generate::{Output, generate};
use serde_json::{Value, json};

/// Kustomize's API version for kustomization.yaml.
const KUSTOMIZE_API: &str = "kustomize.config.k8s.io/v1beta1";
/// The interval Flux reconciles each cache's Kustomization at.
const FLUX_INTERVAL: &str = "10m0s";

/// The tree, and the findings that did not stop it (warnings, notes).
#[derive(Debug, Clone)]
pub struct Tree {
    /// Every file, in a fixed order; paths relative to the output directory.
    pub files: Vec<File>,
    /// Every cache's warnings and notes (naming it), and the fleet's own.
    pub findings: Vec<Finding>,
}

/// One cache made: its outputs and its overlay's base.
struct Made<'a> {
    cache: &'a Cache,
    out: Output,
    base: usize,
}

/// A Kustomize base: the manifest of the first cache of its shape.
struct Base {
    dir: String,
    /// The method and the objects' `apiVersion kind`, in apply order.
    shape: Vec<String>,
    /// The cache it was built from (an index into the made caches).
    from: usize,
}

/// The CA's PEM for every cache that names one, looked up by the name the
/// fleet file gives it (the page's and the JS API's uploads); a CA not
/// given is a finding naming the cache.
pub fn cas(
    fleet: &Fleet,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Vec<Option<String>>, Vec<Finding>> {
    let mut missing = Vec::new();
    let cas = fleet
        .caches
        .iter()
        .map(|c| {
            let name = c.ca.as_deref()?;
            let pem = lookup(name);
            if pem.is_none() {
                missing.push(crate::fleet_check::unreadable(
                    c,
                    "ca",
                    name,
                    "it was not given: add it to the files",
                ));
            }
            pem
        })
        .collect();
    if missing.is_empty() {
        Ok(cas)
    } else {
        Err(missing)
    }
}

/// The whole tree of a fleet. `cas[i]` is the PEM of the CA file of
/// `fleet.caches[i]`, when it has one (read by the caller: a file natively,
/// an upload in the page). Any error of any cache stops it: nothing is
/// returned but every cache's findings.
pub fn tree(fleet: &Fleet, cas: &[Option<String>]) -> Result<Tree, Vec<Finding>> {
    let mut findings = Vec::new();
    let mut made: Vec<(&Cache, Output)> = Vec::new();
    for cache in &fleet.caches {
        let g = generate(&cache.spec);
        findings.extend(g.findings.into_iter().map(|mut f| {
            f.field = cache.field(&f.field);
            f
        }));
        if let Some(out) = g.output {
            made.push((cache, out));
        }
    }
    findings.extend(
        crate::fleet::shared_endpoints(fleet)
            .into_iter()
            .map(|(_, f)| f),
    );
    if findings.iter().any(Finding::is_error) || made.len() != fleet.caches.len() {
        return Err(findings);
    }
    for c in &fleet.caches {
        let app = app_name(&c.name);
        if app != format!("msr-cache-{}", c.name) {
            findings.push(Finding::info(
                Code::FleetNameShortened,
                c.field("name"),
                format!("the cache's Argo CD Application and Flux Kustomization are named {app}: msr-cache-{} is longer than the {LABEL_MAX} characters of the label their controllers copy it into", c.name),
                "nothing to do; a shorter cache name keeps msr-cache-<name>",
            ));
        }
    }

    let mut bases: Vec<Base> = Vec::new();
    let made: Vec<Made> = made
        .into_iter()
        .enumerate()
        .map(|(i, (cache, out))| {
            let shape = shape(&out);
            let base = match bases.iter().position(|b| b.shape == shape) {
                Some(b) => b,
                None => {
                    let method = out.method.name();
                    let same = bases.iter().filter(|b| b.shape[0] == method).count();
                    let dir = match same {
                        0 => method.to_string(),
                        n => format!("{method}-{}", n + 1),
                    };
                    bases.push(Base {
                        dir,
                        shape,
                        from: i,
                    });
                    bases.len() - 1
                }
            };
            Made { cache, out, base }
        })
        .collect();

    let mut files = Vec::new();
    for (i, m) in made.iter().enumerate() {
        let ca = cas.get(i).and_then(Option::as_deref);
        let own = bundle::files(&m.out.valid, &m.out, ca).map_err(|f| {
            let mut f = f;
            f.field = m.cache.field(&f.field);
            vec![f]
        })?;
        files.extend(own.into_iter().map(|f| File {
            path: format!("{}/{}", m.cache.name, f.path),
            ..f
        }));
    }
    for b in &bases {
        files.extend(base_files(b, &made[b.from]));
    }
    for m in &made {
        files.extend(overlay(m, &bases[m.base], &made[bases[m.base].from]));
    }
    match &fleet.gitops.repo_url {
        Some(url) => files.push(application_set(fleet, &made, url)),
        None => findings.push(Finding::warning(
            Code::FleetGitopsRepoMissing,
            "gitops.repoURL",
            "the fleet names no repository (gitops.repoURL), so no Argo CD ApplicationSet is written",
            "set gitops.repoURL to the clone URL of the repository this output is committed to",
        )),
    }
    for m in &made {
        files.push(flux(fleet, m));
    }
    files.push(readme(fleet, &made, &bases));
    Ok(Tree { files, findings })
}

/// What makes two caches' manifests patchable into each other: the method
/// and the objects' kinds, in apply order.
fn shape(out: &Output) -> Vec<String> {
    std::iter::once(out.method.name().to_string())
        .chain(
            out.manifest
                .items()
                .iter()
                .map(|o| format!("{} {}", o.api_version, o.kind)),
        )
        .collect()
}

fn text_file(path: String, content: String) -> File {
    File {
        path,
        content,
        executable: false,
    }
}

/// `kustomization.yaml` and the manifest of the base's first cache.
fn base_files(b: &Base, from: &Made) -> [File; 2] {
    let dir = format!("{GITOPS_DIR}/base/{}", b.dir);
    let k = json!({
        "apiVersion": KUSTOMIZE_API,
        "kind": "Kustomization",
        "resources": [from.out.file_name],
    });
    let header = format!(
        "# The Kustomize base of the caches exposed through {title} with these objects:\n\
         # the manifest of the cache {name}, unchanged. Each cache's overlay\n\
         # (../../overlays/<cache>) patches in its own names, hosts and ports.\n",
        title = from.out.method.about().title,
        name = from.cache.name,
    );
    [
        text_file(
            format!("{dir}/kustomization.yaml"),
            header + &crate::yaml::to_string(&k),
        ),
        text_file(
            format!("{dir}/{}", from.out.file_name),
            from.out.yaml.clone(),
        ),
    ]
}

/// The cache's overlay: the base with a JSON patch per object that differs,
/// each in a file of its own (`patch-<n>-<kind>.yaml`).
fn overlay(m: &Made, b: &Base, from: &Made) -> Vec<File> {
    let dir = format!("{GITOPS_DIR}/overlays/{}", m.cache.name);
    let mut files = Vec::new();
    let mut patches = Vec::new();
    let pairs = from.out.manifest.items().iter().zip(m.out.manifest.items());
    for (n, (base, own)) in pairs.enumerate() {
        let ops = json_patch::diff(&base.body, &own.body);
        if ops.0.is_empty() {
            continue;
        }
        let (group, version) = match base.api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", base.api_version.as_str()),
        };
        let mut target = serde_json::Map::new();
        if !group.is_empty() {
            target.insert("group".into(), group.into());
        }
        target.insert("version".into(), version.into());
        target.insert("kind".into(), base.kind.into());
        // Kustomize reads a target's name and namespace as anchored regular
        // expressions: a dot stands for itself only escaped.
        target.insert("name".into(), base.name.replace('.', "\\.").into());
        if !base.namespace.is_empty() {
            target.insert(
                "namespace".into(),
                base.namespace.replace('.', "\\.").into(),
            );
        }
        let ops = serde_json::to_value(&ops).unwrap_or(Value::Null);
        let file = format!("patch-{}-{}.yaml", n + 1, base.kind.to_ascii_lowercase());
        let header = format!(
            "# RFC 6902 operations that make the base's {kind} {name} the cache {cache}'s.\n",
            kind = base.kind,
            name = base.name,
            cache = m.cache.name,
        );
        files.push(text_file(
            format!("{dir}/{file}"),
            header + &crate::yaml::to_string(&ops),
        ));
        patches.push(json!({"path": file, "target": target}));
    }
    let mut k = json!({
        "apiVersion": KUSTOMIZE_API,
        "kind": "Kustomization",
        "resources": [format!("../../base/{}", b.dir)],
        // The manifest's apply order, not Kustomize's order by kind.
        "sortOptions": {"order": "fifo"},
    });
    if !patches.is_empty() {
        k["patches"] = Value::Array(patches);
    }
    let header = format!(
        "# The cache {name}: the base {base} with its own names, hosts and ports.\n\
         # `kubectl kustomize` builds exactly ../../../{name}/{file}.\n",
        name = m.cache.name,
        base = b.dir,
        file = m.out.file_name,
    );
    files.insert(
        0,
        text_file(
            format!("{dir}/kustomization.yaml"),
            header + &crate::yaml::to_string(&k),
        ),
    );
    files
}

/// The overlay's path from the repository's root.
fn overlay_path(fleet: &Fleet, cache: &str) -> String {
    match fleet.gitops.path() {
        "" => format!("{GITOPS_DIR}/overlays/{cache}"),
        p => format!("{p}/{GITOPS_DIR}/overlays/{cache}"),
    }
}

/// The Argo CD cluster a cache's Application goes to: the kubeconfig
/// context's name, as `argocd cluster add <context>` registers it, or Argo
/// CD's own cluster when the cache names no context.
fn argo_cluster(cache: &Cache) -> &str {
    cache.context.as_deref().unwrap_or("in-cluster")
}

/// One ApplicationSet for the fleet: a list generator with an element per
/// cache, one Application each.
fn application_set(fleet: &Fleet, made: &[Made], url: &str) -> File {
    let elements: Vec<Value> = made
        .iter()
        .map(|m| {
            json!({
                "cache": m.cache.name,
                "app": app_name(&m.cache.name),
                "cluster": argo_cluster(m.cache),
                "namespace": m.out.valid.namespace,
                "path": overlay_path(fleet, &m.cache.name),
            })
        })
        .collect();
    let set = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "msr-caches", "namespace": "argocd"},
        "spec": {
            "goTemplate": true,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}],
            "template": {
                "metadata": {
                    "name": "{{.app}}",
                    "labels": {"app.kubernetes.io/managed-by": "msr-expose"},
                },
                "spec": {
                    "project": "default",
                    "source": {
                        "repoURL": url,
                        "targetRevision": fleet.gitops.revision(),
                        "path": "{{.path}}",
                    },
                    "destination": {"name": "{{.cluster}}", "namespace": "{{.namespace}}"},
                    "syncPolicy": {"automated": {"prune": true, "selfHeal": true}},
                },
            },
        },
    });
    let header = "# Argo CD: one Application per MSR cache, each its overlay in its cluster\n\
                  # (the cluster's name in Argo CD is the cache's kubeconfig context, as\n\
                  # `argocd cluster add <context>` registers it). Apply in Argo CD's namespace:\n\
                  #   kubectl apply -n argocd -f applicationset.yaml\n";
    text_file(
        format!("{GITOPS_DIR}/argocd/applicationset.yaml"),
        header.to_string() + &crate::yaml::to_string(&set),
    )
}

/// The longest name a controller may copy into a label value: Flux's
/// kustomize-controller labels every object it applies with its
/// Kustomization's name (`kustomize.toolkit.fluxcd.io/name`), Argo CD with
/// its Application's (`app.kubernetes.io/instance`).
pub const LABEL_MAX: usize = 63;

/// `msr-cache-<cache>`, the name of the cache's Argo CD Application and
/// Flux Kustomization: a long cache name (a DNS label goes to 63) is cut
/// and given a short hash of the whole name, as Kubernetes tools shorten
/// generated names, so it fits in a label and stays unique.
pub fn app_name(cache: &str) -> String {
    use sha2::Digest;
    let full = format!("msr-cache-{cache}");
    if full.len() <= LABEL_MAX {
        return full;
    }
    let hash = sha2::Sha256::digest(full.as_bytes());
    let hex: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
    // Cache names are ASCII (DNS labels): any byte index is a boundary.
    let cut = full[..LABEL_MAX - 9].trim_end_matches('-');
    format!("{cut}-{hex}")
}

/// A Flux Kustomization of the cache's overlay, for the Flux of its cluster.
fn flux(fleet: &Fleet, m: &Made) -> File {
    let k = json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {
            "name": app_name(&m.cache.name),
            "namespace": "flux-system",
        },
        "spec": {
            "interval": FLUX_INTERVAL,
            "path": format!("./{}", overlay_path(fleet, &m.cache.name)),
            "prune": true,
            "sourceRef": {"kind": "GitRepository", "name": fleet.gitops.flux_source()},
        },
    });
    let header = format!(
        "# Flux: the MSR cache {name}, reconciled from its overlay by the Flux of its\n\
         # cluster{context}, whose GitRepository {source} holds this repository.\n",
        name = m.cache.name,
        context = m
            .cache
            .context
            .as_deref()
            .map(|c| format!(" (context {c})"))
            .unwrap_or_default(),
        source = fleet.gitops.flux_source(),
    );
    text_file(
        format!("{GITOPS_DIR}/flux/{}.yaml", m.cache.name),
        header + &crate::yaml::to_string(&k),
    )
}

/// `kubectl kustomize OVERLAY | kubectl [--context CONTEXT] apply …`, each
/// word quoted by the shell module (a context name is anything a kubeconfig
/// holds).
fn apply_by_hand(overlay: &str, context: Option<&str>) -> String {
    let mut apply = vec!["kubectl"];
    if let Some(c) = context {
        apply.extend(["--context", c]);
    }
    apply.extend([
        "apply",
        "--server-side",
        "--field-manager",
        crate::step::FIELD_MANAGER,
        "-f",
        "-",
    ]);
    crate::shell::pipeline(&[&["kubectl", "kustomize", overlay], &apply])
        // Every context was checked when the fleet was read.
        .unwrap_or_else(|e| format!("# not printable as a command: {e}"))
}

/// The fleet's README: a row per cache, and how each engine takes them.
fn readme(fleet: &Fleet, made: &[Made], bases: &[Base]) -> File {
    let mut s = String::from(
        "# The MSR caches of this fleet\n\n\
         Written by `msr-expose fleet generate`; each cache's directory is what\n\
         `msr-expose generate --out-dir` writes for it (manifest, steps, certificate\n\
         plan, clients' trust files, README).\n\n\
         | cache | method | endpoint | context | overlay |\n\
         |---|---|---|---|---|\n",
    );
    for m in made {
        s.push_str(&format!(
            "| {name} | {method} | {url} | {context} | `{GITOPS_DIR}/overlays/{name}` (base `{base}`) |\n",
            name = m.cache.name,
            method = m.out.method.name(),
            url = m.out.endpoint.url,
            context = m.cache.context.as_deref().unwrap_or("(current)"),
            base = bases[m.base].dir,
        ));
    }
    let lines: Vec<String> = made
        .iter()
        .map(|m| {
            let overlay = format!("{GITOPS_DIR}/overlays/{}", m.cache.name);
            apply_by_hand(&overlay, m.cache.context.as_deref())
        })
        .collect();
    // A fence longer than any run of backticks in the commands (a context
    // name may hold some), so the block ends where it should (CommonMark).
    let longest = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    s.push_str(&format!(
        "\n## Apply by hand\n\nEach cache's overlay into its own cluster, from this directory:\n\n{fence}sh\n"
    ));
    for l in &lines {
        s.push_str(l);
        s.push('\n');
    }
    s.push_str(&fence);
    s.push('\n');
    s.push_str(
        "\n## GitOps\n\n\
         - Kustomize: `kubectl kustomize gitops/overlays/<cache>` prints exactly\n  \
           `<cache>/<manifest>`; apply it with\n  \
           `kubectl kustomize gitops/overlays/<cache> | kubectl --context <context> apply --server-side --field-manager msr-expose -f -`.\n",
    );
    if fleet.gitops.repo_url.is_some() {
        s.push_str(
            "- Argo CD: `kubectl apply -n argocd -f gitops/argocd/applicationset.yaml` makes an\n  \
             Application per cache (its cluster is its context's name in Argo CD).\n",
        );
    } else {
        s.push_str("- Argo CD: set `gitops.repoURL` in the fleet file to get an ApplicationSet.\n");
    }
    s.push_str(&format!(
        "- Flux: in each cache's cluster, `kubectl apply -f gitops/flux/<cache>.yaml`\n  \
         (its Flux reads this repository as the GitRepository `{}`).\n",
        fleet.gitops.flux_source()
    ));
    text_file("README.md".into(), s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLEET: &str = "gitops:\n  repoURL: https://git.example.com/caches.git\ndefaults:\n  method: traefik\ncaches:\n  - name: eu1\n    externalFqdn: a.example.com\n  - name: us1\n    externalFqdn: b.example.com\n    namespace: reg\n  - name: ap1\n    method: nodeport\n    nodeFqdn: w1.example.com\n";

    fn paths(t: &Tree) -> Vec<&str> {
        t.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn the_tree_is_the_same_every_time_and_every_cache_is_in_it() {
        let fleet = crate::fleet::from_text(FLEET).expect("fleet");
        let a = tree(&fleet, &[]).expect("tree");
        let b = tree(&fleet, &[]).expect("tree");
        assert_eq!(paths(&a), paths(&b));
        assert!(
            a.files.iter().zip(&b.files).all(|(x, y)| x == y),
            "deterministic"
        );
        // (path, reason)
        for (path, why) in [
            ("eu1/msrcacheingressroutetcp.yaml", "each cache's bundle"),
            (
                "ap1/steps.sh",
                "even without a CA (cas shorter than the caches)",
            ),
            (
                "gitops/base/traefik/kustomization.yaml",
                "a base per method used",
            ),
            (
                "gitops/base/nodeport/msrcacheservice.yaml",
                "the base's manifest",
            ),
            (
                "gitops/overlays/us1/patch-1-ingressroutetcp.yaml",
                "a patch where the cache differs",
            ),
            (
                "gitops/argocd/applicationset.yaml",
                "the fleet names its repository",
            ),
            ("gitops/flux/ap1.yaml", "a Flux Kustomization per cache"),
            ("README.md", "the fleet's README"),
        ] {
            assert!(paths(&a).contains(&path), "{path}: {why} — {:?}", paths(&a));
        }
        assert!(
            !paths(&a)
                .iter()
                .any(|p| p.starts_with("gitops/overlays/eu1/patch")),
            "the base's own cache needs no patch"
        );
    }

    #[test]
    fn one_cache_with_an_error_gives_no_tree_and_names_it() {
        let fleet = crate::fleet::from_text(&FLEET.replace("b.example.com", "b_x.example.com"))
            .expect("fleet");
        let f = tree(&fleet, &[]).expect_err("an error");
        assert!(
            f.iter()
                .any(|x| x.is_error() && x.field == "caches[us1].externalFqdn"),
            "{f:?}"
        );
    }

    /// Every legal cache name (a DNS label, 1 to 63 characters) gives an
    /// Application and Kustomization name that fits in a label value and
    /// is itself a DNS label; names that differ stay apart.
    #[test]
    fn app_names_fit_in_a_label_at_every_length() {
        let mut seen = std::collections::BTreeSet::new();
        let mut caches = std::collections::BTreeSet::new();
        for len in 1..=63 {
            for fill in ['a', 'z', '9'] {
                let cache: String = std::iter::once('c')
                    .chain(std::iter::repeat_n(fill, len - 1))
                    .collect();
                if !caches.insert(cache.clone()) {
                    continue;
                }
                let name = app_name(&cache);
                assert!(name.len() <= LABEL_MAX, "{len}: {name}");
                assert!(
                    name.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                        && !name.ends_with('-'),
                    "{name}"
                );
                assert!(seen.insert(name), "{cache}: unique");
            }
        }
        assert_eq!(app_name("eu1"), "msr-cache-eu1", "short names unchanged");
    }
}
