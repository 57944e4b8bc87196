//! The certificate the chosen interface needs, and how to get one: an
//! openssl plan (a POSIX shell script: key, request with the interface's
//! names as SANs — never CN-only —, and with a lab CA the signing too) and
//! a cert-manager `Certificate`. The vendor's "create a certificate" step
//! runs ssh-keygen, which makes an SSH key; this is what to run instead.

use crate::crd::cert_manager::{CertificateSpec, IssuerRef, PrivateKey};
use crate::crd::{CustomKind, CustomResource};
use crate::fqdn::Host;
use crate::manifest::Object;
use crate::shell::{ShellError, Word};
use crate::validate::ValidSpec;

/// The key the plan makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyType {
    /// ECDSA P-256 (the default: small, fast, every client takes it).
    #[default]
    P256,
    /// RSA 3072.
    Rsa3072,
}

/// The file a cert-manager Certificate is written to.
pub const CERT_MANAGER_FILE: &str = "msrcachecertificate.yaml";

/// The file names of the vendor's later steps.
pub const KEY_FILE: &str = "cache.key.pem";
/// The certificate (with its intermediates) the cache serves.
pub const CERT_FILE: &str = "cache.cert.pem";
/// The certificate request.
pub const CSR_FILE: &str = "cache.csr.pem";
/// The openssl configuration the plan writes.
pub const CONFIG_FILE: &str = "cache.cnf";
/// The lab CA's private key (with `--lab-ca`).
pub const LAB_CA_KEY: &str = "lab-ca.key.pem";

/// The name clients connect to: what the certificate must carry as a SAN.
pub fn cert_host(spec: &ValidSpec) -> Host {
    spec.host()
}

/// `DNS:name` or `IP:address`.
pub fn san(host: &Host) -> String {
    match host {
        Host::Name(n) => format!("DNS:{n}"),
        Host::Ip(ip) => format!("IP:{ip}"),
    }
}

fn q(s: &str) -> Result<String, ShellError> {
    Word::lit(s).to_shell()
}

/// The openssl plan as a POSIX shell script. With `lab_ca` it also makes a
/// small CA (written to the spec's CA file, which the curl steps trust) and
/// signs the certificate, so the whole plan runs unattended.
pub fn openssl_plan(spec: &ValidSpec, key: KeyType, lab_ca: bool) -> Result<String, ShellError> {
    let host = cert_host(spec);
    let san = san(&host);
    let rsa = key == KeyType::Rsa3072;
    let key_cmd = match key {
        KeyType::P256 => "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256",
        KeyType::Rsa3072 => "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072",
    };
    let key_usage = if rsa {
        "critical, digitalSignature, keyEncipherment"
    } else {
        "critical, digitalSignature"
    };
    let ca = q(&spec.ca_file)?;
    let mut s = format!(
        "#!/bin/sh\n\
         # The certificate for the MSR cache {ns}/{name}: clients connect to {host},\n\
         # so the certificate names it as a subjectAltName ({san}); Go clients\n\
         # (docker, containerd, CRI-O) ignore the subject CN.\n\
         # Written by msr-expose. Run it in an empty directory; it writes {KEY_FILE}\n\
         # (keep it secret), {CSR_FILE}{and_cert}.\n\
         set -eu\n\
         umask 077\n\n\
         # 1. The request's configuration: SAN, serverAuth, a server's key usage.\n\
         cat > {CONFIG_FILE} <<'EOF'\n\
         [req]\n\
         distinguished_name = dn\n\
         prompt = no\n\
         req_extensions = v3\n\
         [dn]\n\
         CN = {host}\n\
         [v3]\n\
         basicConstraints = critical, CA:FALSE\n\
         keyUsage = {key_usage}\n\
         extendedKeyUsage = serverAuth\n\
         subjectAltName = {san}\n\
         EOF\n\n\
         # 2. The cache's private key ({key_name}).\n\
         {key_cmd} -out {KEY_FILE}\n\n\
         # 3. The certificate request, with the names above.\n\
         openssl req -new -key {KEY_FILE} -config {CONFIG_FILE} -out {CSR_FILE}\n",
        ns = spec.namespace,
        name = spec.name,
        and_cert = if lab_ca {
            format!(", {CERT_FILE} and the lab CA {}", spec.ca_file)
        } else {
            String::new()
        },
        key_name = if rsa { "RSA 3072" } else { "ECDSA P-256" },
    );
    if lab_ca {
        if let Some((dir, _)) = spec.ca_file.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
            s.push_str(&format!("\nmkdir -p {}\n", q(dir)?));
        }
        s.push_str(&format!(
            "\n# 4. A small lab CA (for a lab without one): its key stays here, its\n\
             #    certificate {ca_text} is what clients and the curl steps trust.\n\
             openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out {LAB_CA_KEY}\n\
             openssl req -x509 -new -key {LAB_CA_KEY} -subj '/CN=msr-expose lab CA' -days 825 \\\n  \
             -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' -addext 'keyUsage=critical,keyCertSign,cRLSign' \\\n  \
             -out {ca}\n\n\
             # 5. The lab CA signs the request, keeping its extensions.\n\
             openssl x509 -req -in {CSR_FILE} -CA {ca} -CAkey {LAB_CA_KEY} -CAcreateserial -days 397 -sha256 \\\n  \
             -extfile {CONFIG_FILE} -extensions v3 -out {CERT_FILE}\n\n\
             # 6. Check it fits the interface before the cache serves it.\n\
             echo 'next: msr-expose check --cert {CERT_FILE} --key {KEY_FILE} --ca {ca_text}, with the spec given to generate'\n",
            ca_text = spec.ca_file,
        ));
    } else {
        s.push_str(&format!(
            "\n# 4. Send {CSR_FILE} to the CA that issued MSR's certificate (or your\n\
             #    company CA). Put what it returns in {CERT_FILE}: the cache's\n\
             #    certificate first, then every intermediate, in order. Then check it:\n\
             #    msr-expose check --cert {CERT_FILE} --key {KEY_FILE} --ca {} …\n",
            spec.ca_file
        ));
    }
    Ok(s)
}

/// A cert-manager `Certificate` for the interface's name, from an Issuer or
/// ClusterIssuer the operator names; the Secret it fills is `<name>-tls`.
pub fn cert_manager(spec: &ValidSpec, issuer: &str, issuer_kind: &str, key: KeyType) -> Object {
    let host = cert_host(spec);
    let (dns_names, ip_addresses) = match &host {
        Host::Name(n) => (vec![n.to_string()], Vec::new()),
        Host::Ip(ip) => (Vec::new(), vec![ip.to_string()]),
    };
    let mut usages = vec!["server auth", "digital signature"];
    if key == KeyType::Rsa3072 {
        usages.push("key encipherment");
    }
    let (algorithm, size) = match key {
        KeyType::P256 => ("ECDSA", 256),
        KeyType::Rsa3072 => ("RSA", 3072),
    };
    Object::custom(&CustomResource::new(
        "v1",
        crate::object::metadata(spec, Default::default()),
        CertificateSpec {
            secret_name: format!("{}-tls", spec.name),
            common_name: host.to_string(),
            dns_names,
            ip_addresses,
            usages: usages.into_iter().map(String::from).collect(),
            private_key: PrivateKey {
                algorithm: algorithm.into(),
                size,
                rotation_policy: "Always".into(),
            },
            issuer_ref: IssuerRef {
                name: issuer.into(),
                kind: issuer_kind.into(),
                group: CertificateSpec::GROUP.into(),
            },
        },
    ))
}
