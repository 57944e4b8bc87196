//! Recognising what the operator pasted or chose: PEM blocks (with any text
//! around them), DER, base64 of either (as `kubectl get secret` prints), and
//! the usual wrong material — SSH keys, requests, keys where a certificate
//! belongs, PKCS#7 and PKCS#12 — each with a message that says what it is.

use crate::codes::Code;
use crate::finding::Finding;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// One decoded PEM block (or a whole DER input, with label `DER`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN` and the dashes, such as `CERTIFICATE`.
    pub label: String,
    /// The decoded bytes.
    pub der: Vec<u8>,
    /// 1-based line of the `BEGIN` line (0 for DER input).
    pub line: usize,
    /// Whether RFC 1421 headers mark the block as encrypted (`Proc-Type: 4,ENCRYPTED`).
    pub encrypted_headers: bool,
}

impl Block {
    /// A whole input given as DER (no PEM armour).
    fn der(der: Vec<u8>) -> Block {
        Block {
            label: "DER".into(),
            der,
            line: 0,
            encrypted_headers: false,
        }
    }
}

/// What was found in one input.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// The blocks, in input order.
    pub blocks: Vec<Block>,
    /// Problems with the input as such (errors) and notes.
    pub findings: Vec<Finding>,
}

/// Decodes an input into blocks. `field` names the input in findings.
pub fn decode(input: &[u8], field: &str) -> Decoded {
    let mut d = Decoded::default();
    let text = String::from_utf8_lossy(input);
    if text.trim().is_empty() {
        d.findings.push(Finding::error(
            Code::PemEmpty,
            field,
            "the input is empty",
            "paste the PEM text (-----BEGIN CERTIFICATE----- …) or choose the file",
        ));
        return d;
    }
    if input.first() == Some(&0x30) {
        d.blocks.push(Block::der(input.to_vec()));
        return d;
    }
    scan_pem(&text, field, &mut d);
    if !d.blocks.is_empty() || d.findings.iter().any(Finding::is_error) {
        return d;
    }

    let trimmed = text.trim();
    if let Some(kind) = ssh_public_key_kind(trimmed) {
        d.findings.push(Finding::error(
            Code::PemSshPublicKey,
            field,
            format!("this is an SSH public key ({kind}), not an X.509 certificate"),
            SSH_HINT,
        ));
        return d;
    }
    let compact: String = trimmed.split_whitespace().collect();
    if !compact.is_empty()
        && compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && let Ok(bytes) = STANDARD.decode(compact.as_bytes())
    {
        if bytes.starts_with(b"-----BEGIN") {
            let inner = String::from_utf8_lossy(&bytes).into_owned();
            scan_pem(&inner, field, &mut d);
            d.findings.push(Finding::info(
                Code::PemBase64Wrapped,
                field,
                "the input is base64 of PEM text (as kubectl get secret -o yaml shows it); decoded",
                "nothing to do; with kubectl, add | base64 -d to get the PEM text itself",
            ));
            return d;
        }
        if bytes.first() == Some(&0x30) {
            d.blocks.push(Block::der(bytes));
            return d;
        }
    }
    d.findings.push(Finding::error(
        Code::PemNoPem,
        field,
        "no PEM block (-----BEGIN …-----) and no DER certificate was found",
        "give the certificate file itself: PEM text starting with -----BEGIN CERTIFICATE-----, or DER",
    ));
    d
}

/// The vendor page's step makes an SSH key; say so and say what to do.
pub const SSH_HINT: &str = "ssh-keygen makes an SSH key, not a TLS certificate (the vendor page's step is wrong). Create a key and a certificate request with `openssl req -new -newkey rsa:4096 -nodes -keyout cache.key.pem -out cache.csr -subj /CN=<cache-fqdn> -addext \"subjectAltName=DNS:<cache-fqdn>\"`, have your CA (the one that signed MSR's certificate) sign it, and save the result with its intermediates as cache.cert.pem";

fn ssh_public_key_kind(s: &str) -> Option<&str> {
    let first = s.split_whitespace().next()?;
    (first.starts_with("ssh-") || first.starts_with("ecdsa-sha2-") || first.starts_with("sk-"))
        .then_some(first)
}

fn scan_pem(text: &str, field: &str, d: &mut Decoded) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            i += 1;
            continue;
        };
        let begin_line = i + 1;
        let end_marker = format!("-----END {label}-----");
        let mut body = String::new();
        let mut encrypted = false;
        let mut bad: Option<(usize, char)> = None;
        let mut j = i + 1;
        let mut closed = false;
        while j < lines.len() {
            let l = lines[j].trim();
            if l == end_marker {
                closed = true;
                break;
            }
            if l.starts_with("-----END ") || l.starts_with("-----BEGIN ") {
                break;
            }
            if l.contains(':') {
                if l.starts_with("Proc-Type:") && l.contains("ENCRYPTED") {
                    encrypted = true;
                }
            } else if let Some(c) = l
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
            {
                bad.get_or_insert((j + 1, c));
            } else {
                body.push_str(l);
            }
            j += 1;
        }
        if !closed {
            d.findings.push(Finding::error(
                Code::PemTruncated,
                field,
                format!(
                    "the {label} block that starts on line {begin_line} has no {end_marker} line"
                ),
                "the text was cut off: copy the whole block, up to and including its END line",
            ));
            i = j.max(i + 1);
            continue;
        }
        if let Some((line_no, c)) = bad {
            d.findings.push(Finding::error(
                Code::PemBadBase64,
                field,
                format!("line {line_no} of the {label} block has {c:?}, which is not base64"),
                "copy the block again without changes; PEM bodies hold only A-Z, a-z, 0-9, +, / and =",
            ));
        } else {
            match STANDARD.decode(body.as_bytes()) {
                Ok(der) => d.blocks.push(Block {
                    label: label.to_string(),
                    der,
                    line: begin_line,
                    encrypted_headers: encrypted,
                }),
                Err(e) => d.findings.push(Finding::error(
                    Code::PemBadBase64,
                    field,
                    format!("the {label} block on line {begin_line} is not valid base64 ({e})"),
                    "the block is damaged or incomplete: copy it again from the original file",
                )),
            }
        }
        i = j + 1;
    }
}

/// How a DER blob that is not a certificate can be recognised.
pub fn classify_der(der: &[u8]) -> Option<&'static str> {
    const PKCS7_SIGNED: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    const PKCS7_DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    let body = skip_header(der)?;
    if body.starts_with(PKCS7_SIGNED) {
        return Some("PKCS7");
    }
    if body.starts_with(&[0x02, 0x01, 0x03]) && contains(body, PKCS7_DATA) {
        return Some("PKCS12");
    }
    None
}

fn skip_header(der: &[u8]) -> Option<&[u8]> {
    if der.first() != Some(&0x30) {
        return None;
    }
    let len_byte = *der.get(1)?;
    let header = if len_byte < 0x80 {
        2
    } else {
        2 + usize::from(len_byte & 0x7f)
    };
    der.get(header..)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_around_blocks_is_ignored() {
        let d = decode(
            b"Bag Attributes\n    localKeyID: 01\nsubject=CN = x\n-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\ntrailing\n",
            "cert",
        );
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].line, 4);
    }

    #[test]
    fn bad_base64_names_the_line() {
        let d = decode(
            b"-----BEGIN CERTIFICATE-----\nMAMC\nMA*CAQA=\n-----END CERTIFICATE-----\n",
            "cert",
        );
        assert_eq!(d.findings[0].code, "pem.bad_base64");
        assert!(
            d.findings[0].message.contains("line 3"),
            "{}",
            d.findings[0].message
        );
    }

    #[test]
    fn truncated_block() {
        let d = decode(b"-----BEGIN CERTIFICATE-----\nMAMCAQA=\n", "cert");
        assert_eq!(d.findings[0].code, "pem.truncated");
    }

    #[test]
    fn ssh_public_key_is_named() {
        let d = decode(
            b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me@example.com\n",
            "cert",
        );
        assert_eq!(d.findings[0].code, "pem.ssh_public_key");
        assert!(d.findings[0].hint.contains("openssl req"));
    }

    #[test]
    fn base64_of_pem_is_unwrapped() {
        let pem = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
        let wrapped = STANDARD.encode(pem);
        let d = decode(wrapped.as_bytes(), "cert");
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.findings[0].code, "pem.base64_wrapped");
    }
}
