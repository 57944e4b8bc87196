//! cert-manager's Certificate (`cert-manager.io/v1`). Fields as in
//! cert-manager's CRD (cert-manager.io_certificates.yaml).

use super::CustomKind;
use serde::Serialize;

/// `Certificate.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSpec {
    /// The Secret it fills.
    pub secret_name: String,
    /// The subject CN, only where the name fits in one (64 characters:
    /// cert-manager's webhook refuses a longer one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// DNS SANs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
    /// IP SANs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ip_addresses: Vec<String>,
    /// Key usages and extended key usages, by cert-manager's names.
    pub usages: Vec<String>,
    /// The key to make.
    pub private_key: PrivateKey,
    /// Who issues it.
    pub issuer_ref: IssuerRef,
}

impl CustomKind for CertificateSpec {
    const GROUP: &'static str = "cert-manager.io";
    const KIND: &'static str = "Certificate";
    const PLURAL: &'static str = "certificates";
}

/// `spec.privateKey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateKey {
    /// `ECDSA` or `RSA`.
    pub algorithm: String,
    /// Curve size or modulus bits.
    pub size: u32,
    /// `Always`: a new key with every renewal.
    pub rotation_policy: String,
}

/// `spec.issuerRef`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuerRef {
    /// The Issuer's or ClusterIssuer's name.
    pub name: String,
    /// `Issuer` or `ClusterIssuer`.
    pub kind: String,
    /// `cert-manager.io`.
    pub group: String,
}
