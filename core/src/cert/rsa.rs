//! RSA signature verification (RFC 8017: RSASSA-PKCS1-v1_5 and RSASSA-PSS)
//! on public data only, over the `num-bigint` already used to parse
//! certificates. Verification involves no secret, so constant time does not
//! matter here; a dedicated RSA crate would add ~45 KB to the browser build
//! for the same three functions. openssl's verdicts on the fixtures are the
//! reference in the tests.

use num_bigint::BigUint;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The hash of a signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// DER of DigestInfo up to the hash value (RFC 8017 §9.2 note 1).
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// `s^e mod n` as `len` big-endian bytes (RSAVP1 + I2OSP), or `None` when
/// the signature is out of range or the key is degenerate.
fn rsavp1(n: &[u8], e: &[u8], sig: &[u8], len: usize) -> Option<Vec<u8>> {
    let n = BigUint::from_bytes_be(n);
    let e = BigUint::from_bytes_be(e);
    let s = BigUint::from_bytes_be(sig);
    if n.bits() < 512 || e.bits() == 0 || s >= n {
        return None;
    }
    let m = s.modpow(&e, &n).to_bytes_be();
    if m.len() > len {
        return None;
    }
    let mut out = vec![0u8; len - m.len()];
    out.extend_from_slice(&m);
    Some(out)
}

fn modulus_len(n: &[u8]) -> usize {
    let first = n.iter().position(|&b| b != 0).unwrap_or(n.len());
    n.len() - first
}

/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2).
pub fn verify_pkcs1v15(n: &[u8], e: &[u8], msg: &[u8], sig: &[u8], hash: Hash) -> bool {
    let k = modulus_len(n);
    if sig.len() != k {
        return false;
    }
    let Some(em) = rsavp1(n, e, sig, k) else {
        return false;
    };
    let prefix = hash.digest_info_prefix();
    let t_len = prefix.len() + hash.len();
    if k < t_len + 11 {
        return false;
    }
    let mut expected = vec![0x00, 0x01];
    expected.resize(k - t_len - 1, 0xff);
    expected.push(0x00);
    expected.extend_from_slice(prefix);
    expected.extend_from_slice(&hash.digest(msg));
    em == expected
}

fn mgf1(seed: &[u8], len: usize, hash: Hash) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hash.digest(&block));
        counter += 1;
    }
    out.truncate(len);
    out
}

/// RSASSA-PSS verification (RFC 8017 §8.1.2, §9.1.2) with MGF1 over the
/// same hash and any salt length.
pub fn verify_pss(n: &[u8], e: &[u8], msg: &[u8], sig: &[u8], hash: Hash) -> bool {
    let k = modulus_len(n);
    if sig.len() != k {
        return false;
    }
    let Some(m) = rsavp1(n, e, sig, k) else {
        return false;
    };
    // rsavp1 refused moduli under 512 bits, so this does not underflow.
    let mod_bits = BigUint::from_bytes_be(n).bits() as usize;
    let em_bits = mod_bits - 1;
    let em_len = em_bits.div_ceil(8);
    // I2OSP(m, emLen): the leading bytes beyond emLen must be zero.
    let (lead, em) = m.split_at(k - em_len);
    let h_len = hash.len();
    if lead.iter().any(|&b| b != 0) || em_len < h_len + 2 || em.last() != Some(&0xbc) {
        return false;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    let unused_bits = 8 * em_len - em_bits;
    let top_mask = 0xffu8.checked_shr(unused_bits as u32).unwrap_or(0);
    if masked_db.first().is_some_and(|b| b & !top_mask != 0) {
        return false;
    }
    let mut db: Vec<u8> = masked_db
        .iter()
        .zip(mgf1(h, masked_db.len(), hash))
        .map(|(a, b)| a ^ b)
        .collect();
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    let Some(one) = db.iter().position(|&b| b != 0) else {
        return false;
    };
    if db[one] != 0x01 {
        return false;
    }
    let salt = &db[one + 1..];
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(&hash.digest(msg));
    m_prime.extend_from_slice(salt);
    hash.digest(&m_prime) == h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_signatures_are_rejected_not_panics() {
        let n = [0xffu8; 64];
        let e = [1u8, 0, 1];
        assert!(!verify_pkcs1v15(&n, &e, b"m", &[0xff; 64], Hash::Sha256));
        assert!(!verify_pkcs1v15(&n, &e, b"m", &[0x01; 10], Hash::Sha256));
        assert!(!verify_pss(&n, &e, b"m", &[0x00; 64], Hash::Sha256));
        assert!(!verify_pss(&[], &[], b"m", &[], Hash::Sha512));
    }
}
