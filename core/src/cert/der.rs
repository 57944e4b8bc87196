//! A minimal DER reader (tag, length, value) for what no crate in the tree
//! reads for msr-expose: private keys (PKCS#1, PKCS#8, SEC 1: only their
//! public half is derived), ECDSA signatures as WebCrypto wants them, and
//! the encoded bytes of AlgorithmIdentifiers that x509-parser keeps only as
//! OID and parameters. Certificates themselves are parsed by x509-parser.

/// One DER element: its tag byte and its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
}

/// DER tags used here.
pub mod tag {
    /// INTEGER
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING
    pub const OCTET_STRING: u8 = 0x04;
    /// OBJECT IDENTIFIER
    pub const OID: u8 = 0x06;
    /// SEQUENCE
    pub const SEQUENCE: u8 = 0x30;
}

/// Reads one element; returns it and the rest of the input.
pub fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    Some((Tlv { tag, value }, rest))
}

/// The elements inside a SEQUENCE, in order (stops at the first malformed one).
pub fn items(seq: &[u8]) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut rest = seq;
    while let Some((tlv, r)) = read(rest) {
        out.push(tlv);
        rest = r;
    }
    out
}

/// The whole input as one SEQUENCE's elements.
pub fn sequence(input: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let (tlv, _) = read(input)?;
    (tlv.tag == tag::SEQUENCE).then(|| items(tlv.value))
}

/// The contents of the `n`-th element inside the SEQUENCE that `input`
/// starts with (`0` the first).
pub fn nth_contents(input: &[u8], n: usize) -> Option<Vec<u8>> {
    sequence(input)?.get(n).map(|t| t.value.to_vec())
}

/// One element with a minimal definite length.
pub fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value);
    out
}

/// An unsigned INTEGER's magnitude without leading zero bytes.
pub fn unsigned(tlv: &Tlv<'_>) -> Option<Vec<u8>> {
    if tlv.tag != tag::INTEGER || tlv.value.is_empty() {
        return None;
    }
    let start = tlv
        .value
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(tlv.value.len());
    Some(tlv.value[start..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let (t, rest) = read(&[0x02, 0x01, 0x05, 0xff]).expect("tlv");
        assert_eq!((t.tag, t.value, rest), (0x02, &[0x05][..], &[0xff][..]));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(read(&long).map(|(t, _)| t.value.len()), Some(128));
    }

    #[test]
    fn truncated_input_is_none_not_a_panic() {
        assert_eq!(read(&[0x30, 0x82, 0x01]), None);
        assert_eq!(read(&[0x30, 0x05, 0x01]), None);
        assert_eq!(read(&[0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]), None);
        assert_eq!(sequence(&[]), None);
    }
}
