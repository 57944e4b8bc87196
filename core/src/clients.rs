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
    let ca = if ca_pem.ends_with('\n') {
        ca_pem.to_string()
    } else {
        format!("{ca_pem}\n")
    };
    let hosts_toml = format!(
        "# containerd: trust the MSR cache's CA for {a} (written by msr-expose).\n\
         # containerd reads this directory only with config_path set in its config:\n\
         #   containerd 2.x: [plugins.\"io.containerd.cri.v1.images\".registry]\n\
         #   containerd 1.x: [plugins.\"io.containerd.grpc.v1.cri\".registry]\n\
         #   config_path = \"/etc/containerd/certs.d\"\n\
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
    ])
}

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
         \x20                containerd must have config_path = \"/etc/containerd/certs.d\"\n\
         \x20                (see the comment in hosts.toml), then restart it\n\
         - containers/  -> /etc/containers/certs.d/{a}/ca.crt (CRI-O, podman, skopeo)\n"
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
        ];
        for (yaml, want, why) in cases {
            let got = authority(&valid(yaml)).map_err(|f| f.code.as_str());
            assert_eq!(got, want.map(str::to_string), "{why}");
        }
    }

    #[test]
    fn files_are_laid_out_by_runtime() {
        let spec = valid("method: traefik\nexternalFqdn: cache.example.com\n");
        let f = files(
            &spec,
            "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----",
        )
        .unwrap_or_default();
        let paths: Vec<String> = f.iter().map(ClientFile::out_path).collect();
        assert_eq!(
            paths,
            [
                "clients/docker/etc/docker/certs.d/cache.example.com/ca.crt",
                "clients/containerd/etc/containerd/certs.d/cache.example.com/hosts.toml",
                "clients/containerd/etc/containerd/certs.d/cache.example.com/ca.crt",
                "clients/containers/etc/containers/certs.d/cache.example.com/ca.crt",
            ]
        );
        assert!(
            f[1].content
                .contains("capabilities = [\"pull\", \"resolve\"]")
        );
        assert!(f[0].content.ends_with('\n'));
    }
}
