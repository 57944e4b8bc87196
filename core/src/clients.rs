//! Clients that trust the cache. Registry clients keep pulling from MSR's
//! address and MSR sends them to the cache, so every node and client that
//! pulls must trust the CA that signed the cache's certificate — for the
//! exact `host[:port]` of the endpoint (the port only when it is not 443;
//! NodePort endpoints always carry it). These are the files, laid out as
//! their paths on a node under one root per runtime.

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
         # containerd 2.2 and later read /etc/containerd/certs.d (then\n\
         # /etc/docker/certs.d) by default: nothing to set. Older ones read it only\n\
         # with config_path set in their config:\n\
         #   containerd 2.0, 2.1: [plugins.\"io.containerd.cri.v1.images\".registry]\n\
         #   containerd 1.x:      [plugins.\"io.containerd.grpc.v1.cri\".registry]\n\
         #   config_path = \"/etc/containerd/certs.d\"\n\
         # MKE 4k (k0s) manages /etc/k0s/containerd.toml itself: use the drop-in\n\
         # under clients/k0s/ instead of editing it.\n\
         server = \"https://{a}\"\n\
         \n\
         [host.\"https://{a}\"]\n  \
         capabilities = [\"pull\", \"resolve\"]\n  \
         # ca.crt beside this file (a relative path is read from this directory)\n  \
         ca = \"ca.crt\"\n"
    );
    Ok(vec![
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
        ClientFile {
            runtime: "k0s",
            node_path: K0S_DROP_IN.to_string(),
            content: K0S_DROP_IN_TOML.to_string(),
        },
    ])
}

/// Where k0s (MKE 4k's nodes) reads containerd settings of one's own: it
/// imports every `*.toml` of `/etc/k0s/containerd.d/` into the
/// configuration it writes to `/etc/k0s/containerd.toml` (which it rewrites
/// while that file carries `# k0s_managed=true`).
pub const K0S_DROP_IN: &str = "/etc/k0s/containerd.d/msr-expose-certs-d.toml";

/// The drop-in: the registry host directories, for every cache, whatever
/// containerd k0s bundles (config version 2, which containerd 2.x migrates
/// as it reads it; 2.2 and later read these directories by default anyway).
pub const K0S_DROP_IN_TOML: &str = "# Written by msr-expose: containerd under k0s (MKE 4k) reads the registry\n\
# host directories, where the MSR caches' hosts.toml and ca.crt go.\n\
version = 2\n\
\n\
[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  \
config_path = \"/etc/containerd/certs.d:/etc/docker/certs.d\"\n";

/// What to do with the files, for a README beside them.
pub fn readme(spec: &ValidSpec) -> Result<String, Finding> {
    let a = authority(spec)?;
    Ok(format!(
        "Clients that pull through the MSR cache at https://{a}\n\
         =====================================================\n\n\
         Registry clients keep pulling from MSR's address; MSR sends them to the\n\
         cache. So every node and client that pulls must trust the CA that signed\n\
         the cache's certificate, for exactly {a}. Copy the files under the\n\
         runtime's directory onto each node, as they are:\n\n\
         - docker/      -> /etc/docker/certs.d/{a}/ca.crt (no restart needed)\n\
         - containerd/  -> /etc/containerd/certs.d/{a}/ (hosts.toml and ca.crt);\n\
         \x20                containerd 2.2 and later read that directory by default;\n\
         \x20                older ones need config_path = \"/etc/containerd/certs.d\"\n\
         \x20                (see the comment in hosts.toml), then a restart\n\
         - containers/  -> /etc/containers/certs.d/{a}/ca.crt (CRI-O, podman, skopeo)\n\
         - k0s/         -> MKE 4k nodes: containerd runs under k0s, which writes\n\
         \x20                /etc/k0s/containerd.toml itself (do not edit it). Copy\n\
         \x20                containerd/ as above and {K0S_DROP_IN}\n\
         \x20                (it sets config_path through k0s' drop-in directory), then\n\
         \x20                restart k0s (systemctl restart k0sworker, or k0scontroller)\n"
    ))
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
        let spec = valid("method: traefik\nexternalFqdn: cache.example.com\n");
        let f = files(&spec, TEST_CA.trim_end()).expect("a certificate");
        let paths: Vec<String> = f.iter().map(ClientFile::out_path).collect();
        assert_eq!(
            paths,
            [
                "clients/docker/etc/docker/certs.d/cache.example.com/ca.crt",
                "clients/containerd/etc/containerd/certs.d/cache.example.com/hosts.toml",
                "clients/containerd/etc/containerd/certs.d/cache.example.com/ca.crt",
                "clients/containers/etc/containers/certs.d/cache.example.com/ca.crt",
                "clients/k0s/etc/k0s/containerd.d/msr-expose-certs-d.toml",
            ]
        );
        assert!(
            f[1].content
                .contains("capabilities = [\"pull\", \"resolve\"]")
        );
        assert!(f[0].content.ends_with('\n'));
    }
}
