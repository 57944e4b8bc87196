//! Clients that trust the cache. Registry clients keep pulling from MSR's
//! address and MSR sends them to the cache, so every node and client that
//! pulls must trust the CA that signed the cache's certificate — for the
//! exact `host[:port]` of the endpoint (the port only when it is not 443;
//! NodePort endpoints always carry it). These are the files, laid out as
//! their paths on a node under one root per runtime.

use crate::common::ContainerdLine;
use crate::finding::Finding;
use crate::validate::ValidSpec;

/// One file for a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFile {
    /// `docker`, `containerd` or `containers` (CRI-O, podman, skopeo).
    pub runtime: &'static str,
    /// Its path on the node (absolute).
    pub node_path: String,
    /// Its content.
    pub content: String,
}

impl ClientFile {
    /// Where `generate --out-dir` puts it: `clients/<runtime>/<node path>`.
    pub fn out_path(&self) -> String {
        format!("clients/{}{}", self.runtime, self.node_path)
    }
}

/// The endpoint's `host[:port]` as registry clients name it in certs.d.
pub fn authority(spec: &ValidSpec) -> Result<String, Finding> {
    let port = spec.exposure.get().client_port(&spec.common)?;
    let host = crate::certplan::cert_host(spec).url_host();
    Ok(match port {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// The CA file for docker, containerd (with its hosts.toml) and the
/// containers tools (CRI-O, podman, skopeo), for the endpoint.
pub fn files(spec: &ValidSpec, ca_pem: &str) -> Result<Vec<ClientFile>, Finding> {
    let a = authority(spec)?;
    // Only certificates go where runtimes look for CAs: anything else (a
    // key, a script, a broken block) is the reader's own finding.
    let mut read = Vec::new();
    let cas = crate::cert::read_certs(ca_pem.as_bytes(), "ca", &mut read);
    if let Some(f) = read.into_iter().find(Finding::is_error) {
        return Err(f);
    }
    if cas.is_empty() {
        return Err(Finding::error(
            crate::codes::Code::PemNoPem,
            "ca",
            "the CA file holds no certificate",
            "give the CA certificate clients trust (msr.cert.pem), PEM",
        ));
    }
    let ca = if ca_pem.ends_with('\n') {
        ca_pem.to_string()
    } else {
        format!("{ca_pem}\n")
    };
    let hosts_toml = format!(
        "# containerd: trust the MSR cache's CA for {a} (written by msr-expose).\n\
         # containerd reads this directory only where its configuration sets\n\
         # config_path to it: containerd 2.1 and later, on the CRI path kubelet's\n\
         # pulls take, ignore the default (two directories read as one; containerd\n\
         # issues 12415, 12636, 12808), and 1.x sets none. The snippet msr-expose\n\
         # writes beside these files sets it, in the node's containerd's format;\n\
         # under k0s (MKE 4k) use its drop-in instead (see README.txt).\n\
         server = \"https://{a}\"\n\
         \n\
         [host.\"https://{a}\"]\n  \
         capabilities = [\"pull\", \"resolve\"]\n  \
         # ca.crt beside this file (a relative path is read from this directory)\n  \
         ca = \"ca.crt\"\n"
    );
    let mut out = vec![
        ClientFile {
            runtime: "docker",
            node_path: format!("/etc/docker/certs.d/{a}/ca.crt"),
            content: ca.clone(),
        },
        ClientFile {
            runtime: "containerd",
            node_path: format!("/etc/containerd/certs.d/{a}/hosts.toml"),
            content: hosts_toml,
        },
        ClientFile {
            runtime: "containerd",
            node_path: format!("/etc/containerd/certs.d/{a}/ca.crt"),
            content: ca.clone(),
        },
        ClientFile {
            runtime: "containers",
            node_path: format!("/etc/containers/certs.d/{a}/ca.crt"),
            content: ca,
        },
    ];
    for (line, containerd_dir, k0s_dir) in config_dirs(spec.containerd) {
        out.push(ClientFile {
            runtime: containerd_dir,
            node_path: CONTAINERD_SNIPPET.to_string(),
            content: config_toml(line, false),
        });
        out.push(ClientFile {
            runtime: k0s_dir,
            node_path: K0S_DROP_IN.to_string(),
            content: config_toml(line, true),
        });
    }
    Ok(out)
}

/// The one directory containerd reads registry hosts from, set
/// explicitly (never the default two, which containerd 2.1+ reads as one).
pub const CONFIG_PATH: &str = "/etc/containerd/certs.d";

/// Where the containerd snippet goes on a node that imports
/// `/etc/containerd/conf.d/*.toml` (else its table goes into config.toml).
pub const CONTAINERD_SNIPPET: &str = "/etc/containerd/conf.d/msr-expose-certs-d.toml";

/// Where k0s (MKE 4k's nodes) reads containerd settings of one's own: it
/// imports every `*.toml` of `/etc/k0s/containerd.d/` into the
/// configuration it writes to `/etc/k0s/containerd.toml` (which it rewrites
/// while that file carries `# k0s_managed=true`).
pub const K0S_DROP_IN: &str = "/etc/k0s/containerd.d/msr-expose-certs-d.toml";

/// The snippet's runtime directories per containerd line: the known line's
/// under `containerd/` and `k0s/`; with none known, both, named by line.
fn config_dirs(line: Option<ContainerdLine>) -> Vec<(ContainerdLine, &'static str, &'static str)> {
    match line {
        Some(l) => vec![(l, "containerd", "k0s")],
        None => vec![
            (ContainerdLine::V1, "containerd-1.x", "k0s-1.35-and-older"),
            (ContainerdLine::V2, "containerd-2.x", "k0s-1.36-and-later"),
        ],
    }
}

/// The configuration that points containerd's CRI registry at
/// [`CONFIG_PATH`], in the format of `line`: `version = 2` and
/// `io.containerd.grpc.v1.cri` for containerd 1.x (k0s up to 1.35),
/// `version = 3` and `io.containerd.cri.v1.images` for 2.x (k0s 1.36+).
pub fn config_toml(line: ContainerdLine, k0s: bool) -> String {
    let (version, plugin, which) = match line {
        ContainerdLine::V1 => (
            "2",
            "io.containerd.grpc.v1.cri",
            "containerd 1.x (k0s up to 1.35)",
        ),
        ContainerdLine::V2 => (
            "3",
            "io.containerd.cri.v1.images",
            "containerd 2.x (k0s 1.36 and later)",
        ),
    };
    let under = if k0s {
        "containerd under k0s (MKE 4k) imports this drop-in"
    } else {
        "containerd imports this from conf.d (or copy the table into config.toml)"
    };
    format!(
        "# Written by msr-expose, for {which}: {under}.\n\
         # It sets config_path to the one directory of the MSR caches' hosts.toml\n\
         # and ca.crt, explicitly: containerd 2.1 and later ignore the default.\n\
         version = {version}\n\
         \n\
         [plugins.\"{plugin}\".registry]\n  \
         config_path = \"{CONFIG_PATH}\"\n"
    )
}

/// What to do with the files, for a README beside them: which file is for
/// which node.
pub fn readme(spec: &ValidSpec) -> Result<String, Finding> {
    let a = authority(spec)?;
    let mut s = format!(
        "Clients that pull through the MSR cache at https://{a}\n\
         =====================================================\n\n\
         Registry clients keep pulling from MSR's address; MSR sends them to the\n\
         cache. So every node and client that pulls must trust the CA that signed\n\
         the cache's certificate, for exactly {a}. Copy the files under the\n\
         runtime's directory onto each node, as they are:\n\n\
         - docker/      -> /etc/docker/certs.d/{a}/ca.crt (no restart needed)\n\
         - containers/  -> /etc/containers/certs.d/{a}/ca.crt (CRI-O, podman, skopeo)\n\
         - containerd/  -> /etc/containerd/certs.d/{a}/ (hosts.toml and ca.crt).\n\
         \x20                containerd reads them only with config_path set to\n\
         \x20                {CONFIG_PATH} explicitly (2.1 and later ignore the\n\
         \x20                default; 1.x has none), which the snippet below sets.\n\n"
    );
    let nodes = |line: ContainerdLine| match line {
        ContainerdLine::V1 => "containerd 1.x (containerd --version: 1.5 to 1.7)",
        ContainerdLine::V2 => "containerd 2.x",
    };
    let k0s = |line: ContainerdLine| match line {
        ContainerdLine::V1 => "k0s up to 1.35 (containerd 1.7; MKE 4k 4.1, MKE 4.2)",
        ContainerdLine::V2 => "k0s 1.36 and later (containerd 2.3)",
    };
    s.push_str("Then, by the node's containerd:\n\n");
    for (line, cdir, kdir) in config_dirs(spec.containerd) {
        s.push_str(&format!(
            "- {cdir}/ -> {CONTAINERD_SNIPPET}, for nodes running\n  \
             {}: containerd imports it where its config.toml has\n  \
             imports = [\"/etc/containerd/conf.d/*.toml\"]; else copy its table into\n  \
             config.toml. Then restart containerd (systemctl restart containerd).\n\
             - {kdir}/ -> {K0S_DROP_IN}, for k0s nodes running\n  \
             {}: k0s writes /etc/k0s/containerd.toml itself (do not edit\n  \
             it) and imports this drop-in. Copy containerd/'s certs.d as above, then\n  \
             restart k0s (systemctl restart k0sworker, or k0scontroller).\n",
            nodes(line),
            k0s(line),
        ));
    }
    if spec.containerd.is_none() {
        s.push_str(
            "\nNo node version was given (containerdVersion or k0sVersion, or a platform\n\
             profile that knows it), so both formats are here: a node takes only the one\n\
             of its containerd (containerd 1.x ignores the 2.x file; k0s 1.36 refuses\n\
             the 1.x one).\n",
        );
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;
    use crate::validate::validate;

    fn valid(yaml: &str) -> ValidSpec {
        validate(&Spec::from_text(yaml).unwrap_or_default())
            .0
            .unwrap_or_else(|| panic!("{yaml}"))
    }

    #[test]
    fn authority_per_method() {
        // (spec, host[:port] or error code, reason)
        let cases: &[(&str, Result<&str, &str>, &str)] = &[
            (
                "method: nodeport\nnodeFqdn: w1.example.com\nnodePort: 30443\n",
                Ok("w1.example.com:30443"),
                "NodePort endpoints always carry the port",
            ),
            (
                "method: nodeport\nnodeFqdn: w1.example.com\n",
                Err("clients.port_unknown"),
                "an allocated port is not known before apply",
            ),
            (
                "method: nodeport\nnodeFqdn: 2001:db8::1\nnodePort: 30443\n",
                Ok("[2001:db8::1]:30443"),
                "IPv6 in brackets, as in the URL",
            ),
            (
                "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: c\n",
                Ok("cache.example.com"),
                "443 is left out",
            ),
            (
                "method: loadbalancer\nexternalFqdn: 192.0.2.5\nport: 8443\n",
                Ok("192.0.2.5:8443"),
                "a LoadBalancer on another port keeps it",
            ),
            (
                "method: loadbalancer\nexternalFqdn: cache.example.com\n",
                Ok("cache.example.com"),
                "LoadBalancer on 443",
            ),
            (
                "method: openshift\nexternalFqdn: cache.apps.ocp.example.com\nport: 8443\n",
                Ok("cache.apps.ocp.example.com"),
                "the OpenShift router listens on 443 whatever the Service port",
            ),
            (
                "method: istio\nexternalFqdn: bücher.example\n",
                Ok("xn--bcher-kva.example"),
                "Istio's gateway server is on 443; an IDN as its A-label, as clients send it",
            ),
        ];
        for (yaml, want, why) in cases {
            let got = authority(&valid(yaml)).map_err(|f| f.code.as_str());
            assert_eq!(got, want.map(str::to_string), "{why}");
        }
    }

    /// Regression: a file that is no certificate (here a shell script) was
    /// written as every runtime's ca.crt.
    #[test]
    fn only_certificates_become_trust_files() {
        let spec = valid("method: traefik\nexternalFqdn: cache.example.com\n");
        for junk in [
            "#!/bin/sh\necho hi\n",
            "",
            "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
        ] {
            let e = files(&spec, junk).expect_err("refused");
            assert!(e.is_error(), "{junk:?}: {e:?}");
        }
    }

    /// A self-signed P-256 CA, made once with `openssl req -x509 -newkey ec
    /// -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=msr-expose test CA"
    /// -days 36500` (its key was thrown away): the layout test needs a
    /// certificate the reader accepts, not a chain anything verifies.
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBkDCCATegAwIBAgIUYxFk0FJeh8VhV8bzmoKFRnzfEKwwCgYIKoZIzj0EAwIw\nHTEbMBkGA1UEAwwSbXNyLWV4cG9zZSB0ZXN0IENBMCAXDTI2MTIwNDE0MjI0M1oY\nDzIxMjYxMTEwMTQyMjQzWjAdMRswGQYDVQQDDBJtc3ItZXhwb3NlIHRlc3QgQ0Ew\nWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASWlgnVXYSObRzm/Za6bZ8JI3u1B1es\ntwgjgU4Bk4JiBK/Xm/4nW5IpQRQbKqQm0aKG+m+LmxIwRP257jyR44DIo1MwUTAd\nBgNVHQ4EFgQUQyFoO/1CdKJPZwR3uwmvad1pOu8wHwYDVR0jBBgwFoAUQyFoO/1C\ndKJPZwR3uwmvad1pOu8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE\nAiAqlykCTymDA1zRZZBhN63LZjirXaoE+3o1g2USKM/YLwIgSLfH0nkzKjOcw2cP\nrnOzHnsk3qna0ib8f51yCIyFFNY=\n-----END CERTIFICATE-----\n";

    #[test]
    fn files_are_laid_out_by_runtime() {
        let common = [
            "clients/docker/etc/docker/certs.d/cache.example.com/ca.crt",
            "clients/containerd/etc/containerd/certs.d/cache.example.com/hosts.toml",
            "clients/containerd/etc/containerd/certs.d/cache.example.com/ca.crt",
            "clients/containers/etc/containers/certs.d/cache.example.com/ca.crt",
        ];
        // (extra spec lines, the snippets' paths, their format, reason)
        #[rustfmt::skip]
        let cases: &[(&str, &[&str], &[&str], &str)] = &[
            ("", &["clients/containerd-1.x/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s-1.35-and-older/etc/k0s/containerd.d/msr-expose-certs-d.toml", "clients/containerd-2.x/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s-1.36-and-later/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 2", "version = 2", "version = 3", "version = 3"], "nothing says which: both formats, each named"),
            ("containerdVersion: '1.7'\n", &["clients/containerd/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 2", "version = 2"], "containerd 1.7: the CRI plugin's v2 format"),
            ("containerdVersion: 2.2.1\n", &["clients/containerd/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 3", "version = 3"], "containerd 2.2 still needs config_path set (CRI path)"),
            ("k0sVersion: '1.36'\n", &["clients/containerd/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 3", "version = 3"], "k0s 1.36 bundles containerd 2.3 and refuses the old format"),
            ("k0sVersion: '1.35'\n", &["clients/containerd/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 2", "version = 2"], "k0s 1.35 bundles containerd 1.7"),
            ("platform: mke4k\n", &["clients/containerd/etc/containerd/conf.d/msr-expose-certs-d.toml", "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml"], &["version = 2", "version = 2"], "the MKE 4k 4.1 profile: k0s before 1.36"),
        ];
        for (extra, snippets, formats, why) in cases {
            let spec = valid(&format!(
                "method: traefik\nexternalFqdn: cache.example.com\n{extra}"
            ));
            let f = files(&spec, TEST_CA.trim_end()).expect("a certificate");
            let paths: Vec<String> = f.iter().map(ClientFile::out_path).collect();
            let want: Vec<&str> = common.iter().chain(snippets.iter()).copied().collect();
            assert_eq!(paths, want, "{why}");
            for (file, format) in f[4..].iter().zip(*formats) {
                assert!(file.content.contains(format), "{why}: {}", file.content);
                assert!(
                    file.content
                        .contains("config_path = \"/etc/containerd/certs.d\"\n"),
                    "{why}: one directory, explicitly"
                );
            }
            assert!(
                f[1].content
                    .contains("capabilities = [\"pull\", \"resolve\"]")
            );
            assert!(f[0].content.ends_with('\n'));
            let readme = readme(&spec).expect("readme");
            for s in *snippets {
                let dir = s.split('/').nth(1).expect("runtime dir");
                assert!(
                    readme.contains(&format!("- {dir}/ ->")),
                    "{why}: the README names {dir}"
                );
            }
        }
    }

    #[test]
    fn node_versions_are_checked() {
        for (extra, code) in [
            (
                "containerdVersion: latest\n",
                "nodes.containerd_version_invalid",
            ),
            (
                "containerdVersion: '1.4'\n",
                "nodes.containerd_version_invalid",
            ),
            (
                "containerdVersion: '3.0'\n",
                "nodes.containerd_version_invalid",
            ),
            ("k0sVersion: v1\n", "nodes.k0s_version_invalid"),
            (
                "k0sVersion: '1.36'\ncontainerdVersion: '1.7'\n",
                "nodes.k0s_version_invalid",
            ),
        ] {
            let spec = Spec::from_text(&format!(
                "method: traefik\nexternalFqdn: cache.example.com\n{extra}"
            ))
            .expect("spec");
            let (v, f) = validate(&spec);
            assert!(v.is_none(), "{extra}");
            assert!(f.iter().any(|x| x.code == code), "{extra}: {f:?}");
        }
    }
}
