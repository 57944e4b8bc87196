//! The certificate the chosen interface needs, and how to get one: an
//! openssl plan (a POSIX shell script: key, request with the interface's
//! names as SANs — never CN-only —, and with a lab CA the signing too) and
//! a cert-manager `Certificate`. The vendor's "create a certificate" step
//! runs ssh-keygen, which makes an SSH key; this is what to run instead.

use crate::crd::cert_manager::{CertificateSpec, IssuerRef, PrivateKey};
use crate::crd::{CustomKind, CustomResource};
use crate::fqdn::Host;
use crate::manifest::Object;
use crate::shell::{Script, ShellError, command};
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

/// The longest subject CN (RFC 5280's ub-common-name), in characters.
pub const CN_MAX: usize = 64;

/// The subject CN for `host`: the name itself when it fits in a CN, `None`
/// when it is longer (the SAN then carries it alone).
pub fn common_name(host: &Host) -> Option<String> {
    let name = host.to_string();
    (name.chars().count() <= CN_MAX).then_some(name)
}

/// `DNS:name` or `IP:address`.
pub fn san(host: &Host) -> String {
    match host {
        Host::Name(n) => format!("DNS:{n}"),
        Host::Ip(ip) => format!("IP:{ip}"),
    }
}

/// The openssl plan as a POSIX shell script. With `lab_ca` it also makes a
/// small CA (written to the spec's CA file, which the curl steps trust) and
/// signs the certificate, so the whole plan runs unattended.
pub fn openssl_plan(spec: &ValidSpec, key: KeyType, lab_ca: bool) -> Result<String, ShellError> {
    openssl_script(spec, key, lab_ca).map(Script::into_text)
}

/// The plan as a [`Script`], which knows the argv of every command it runs.
/// It never writes over a file already there: it stops first, naming it
/// (a lab CA over the operator's real CA file, a key over a key).
pub fn openssl_script(spec: &ValidSpec, key: KeyType, lab_ca: bool) -> Result<Script, ShellError> {
    let host = cert_host(spec);
    let san = san(&host);
    let rsa = key == KeyType::Rsa3072;
    let key_args: &[&str] = match key {
        KeyType::P256 => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        KeyType::Rsa3072 => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"],
    };
    let key_usage = if rsa {
        "critical, digitalSignature, keyEncipherment"
    } else {
        "critical, digitalSignature"
    };
    let ca = spec.ca_file.as_str();
    let and_cert = if lab_ca {
        format!(", {CERT_FILE} and the lab CA {ca}")
    } else {
        String::new()
    };
    let mut s = Script::new(&format!(
        "The certificate for the MSR cache {ns}/{name}: clients connect to {host},\n\
         so the certificate names it as a subjectAltName ({san}); Go clients\n\
         (docker, containerd, CRI-O) ignore the subject CN.\n\
         Written by msr-expose. Run it in an empty directory; it writes {KEY_FILE}\n\
         (keep it secret), {CSR_FILE}{and_cert}.",
        ns = spec.namespace,
        name = spec.name,
    ));
    s.run_lits(&["umask", "077"]);
    let mut made = vec![CONFIG_FILE, KEY_FILE, CSR_FILE];
    if lab_ca {
        made.extend([LAB_CA_KEY, ca, CERT_FILE]);
    }
    s.blank()
        .comment("0. Nothing here is written over: stop if a file of the plan is there.");
    s.refuse_existing(
        &made,
        "is there, and the plan writes no file over another: move it away, or run the plan in an empty directory",
    );
    // A subject CN holds at most 64 characters (RFC 5280's ub-common-name:
    // openssl says "string too long", cert-manager's webhook refuses it);
    // a longer name goes in the SAN alone, the subject empty and the SAN
    // critical, as RFC 5280 asks of a certificate with an empty subject.
    let cn = common_name(&host);
    s.blank()
        .comment("1. The request's configuration: SAN, serverAuth, a server's key usage.");
    let cn_line = cn.as_ref().map(|c| format!("CN = {c}"));
    let usage_line = format!("keyUsage = {key_usage}");
    let san_line = match cn {
        Some(_) => format!("subjectAltName = {san}"),
        None => format!("subjectAltName = critical, {san}"),
    };
    let mut lines = vec![
        "[req]",
        "distinguished_name = dn",
        "prompt = no",
        "req_extensions = v3",
        "[dn]",
    ];
    lines.extend(cn_line.as_deref());
    lines.extend([
        "[v3]",
        "basicConstraints = critical, CA:FALSE",
        &usage_line,
        "extendedKeyUsage = serverAuth",
        &san_line,
    ]);
    s.write_file(CONFIG_FILE, &lines);
    s.blank().comment(&format!(
        "2. The cache's private key ({}).",
        if rsa { "RSA 3072" } else { "ECDSA P-256" }
    ));
    let mut genpkey = vec!["openssl", "genpkey"];
    genpkey.extend_from_slice(key_args);
    genpkey.extend(["-out", KEY_FILE]);
    s.run_lits(&genpkey);
    s.blank()
        .comment("3. The certificate request, with the names above.");
    let mut req = vec![
        "openssl",
        "req",
        "-new",
        "-key",
        KEY_FILE,
        "-config",
        CONFIG_FILE,
    ];
    if cn.is_none() {
        // An empty subject: the name is longer than a CN may be.
        req.extend(["-subj", "/"]);
    }
    req.extend(["-out", CSR_FILE]);
    s.run_lits(&req);
    let check = command(&[
        "msr-expose",
        "check",
        "--cert",
        CERT_FILE,
        "--key",
        KEY_FILE,
        "--ca",
        ca,
    ])?;
    if lab_ca {
        if let Some((dir, _)) = ca.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
            s.blank();
            s.run_lits(&["mkdir", "-p", "--", dir]);
        }
        s.blank().comment(&format!(
            "4. A small lab CA (for a lab without one): its key stays here, its\n   \
             certificate {ca} is what clients and the curl steps trust."
        ));
        s.run_lits(&[
            "openssl",
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            LAB_CA_KEY,
        ]);
        s.run_lits(&[
            "openssl",
            "req",
            "-x509",
            "-new",
            "-key",
            LAB_CA_KEY,
            "-subj",
            "/CN=msr-expose lab CA",
            "-days",
            "825",
            "-addext",
            "basicConstraints=critical,CA:TRUE,pathlen:0",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            ca,
        ]);
        s.blank()
            .comment("5. The lab CA signs the request, keeping its extensions.");
        s.run_lits(&[
            "openssl",
            "x509",
            "-req",
            "-in",
            CSR_FILE,
            "-CA",
            ca,
            "-CAkey",
            LAB_CA_KEY,
            "-CAcreateserial",
            "-days",
            "397",
            "-sha256",
            "-extfile",
            CONFIG_FILE,
            "-extensions",
            "v3",
            "-out",
            CERT_FILE,
        ]);
        s.blank()
            .comment("6. Check it fits the interface before the cache serves it.");
        s.say(&format!("next: {check} (with the spec given to generate)"));
    } else {
        s.blank().comment(&format!(
            "4. Send {CSR_FILE} to the CA that issued MSR's certificate (or your\n   \
             company CA). Put what it returns in {CERT_FILE}: the cache's\n   \
             certificate first, then every intermediate, in order. Then check it:\n   \
             {check} …"
        ));
    }
    s.finish()
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
            common_name: common_name(&host),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A CN holds at most 64 characters; every longer legal name goes in the
    /// SAN alone (the plan's request and cert-manager's Certificate).
    #[test]
    fn no_common_name_past_64_characters() {
        for len in [1usize, 63, 64, 65, 200, 253] {
            // Labels of at most 63 characters, the last a TLD of letters.
            let mut host = String::new();
            while host.len() + 4 < len {
                let take = (len - host.len() - 4).min(62);
                host.push_str(&"a".repeat(take));
                host.push('.');
            }
            host.push_str(&"b".repeat(len - host.len()));
            let spec =
                crate::spec::Spec::from_text(&format!("method: traefik\nexternalFqdn: {host}\n"))
                    .expect("spec");
            let valid = crate::validate::validate(&spec)
                .0
                .unwrap_or_else(|| panic!("{len}: {host}"));
            let cm = cert_manager(&valid, "ca", "ClusterIssuer", KeyType::P256);
            let cn = cm.body["spec"]["commonName"].as_str().map(str::len);
            assert_eq!(cn.is_some(), len <= CN_MAX, "{len}");
            let plan = openssl_plan(&valid, KeyType::P256, true).expect("plan");
            assert_eq!(plan.contains("'CN = "), len <= CN_MAX, "{len}");
            assert_eq!(plan.contains("-subj /"), len > CN_MAX, "{len}");
        }
    }
}
