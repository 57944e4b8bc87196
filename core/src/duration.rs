//! Durations as kubectl and Go write them (`10s`, `1m30s`, `500ms`, `1.5h`),
//! for `--timeout`. Integer arithmetic throughout: no input, however long,
//! overflows or panics; anything above a day is refused as a typo.

use std::time::Duration;

/// The longest timeout taken: a day. Longer is almost surely a typo.
pub const MAX: Duration = Duration::from_secs(24 * 3600);

const HINT: &str = "write it like 10s, 1m30s or 500ms";

/// Parses a Go-style duration: one or more `<number><unit>` with units `ms`,
/// `s`, `m`, `h` (a number may have a fraction); a bare `0` is zero.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("empty duration; {HINT}"));
    }
    if t == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total: u128 = 0; // nanoseconds
    let mut rest = t;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let unit_nanos: u128 = match unit {
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("{s:?} needs a unit (ms, s, m or h)")),
            u if number.is_empty() => {
                return Err(format!("{s:?} is not a duration at {u:?}; {HINT}"));
            }
            u => return Err(format!("{s:?}: unknown unit {u:?}; use ms, s, m or h")),
        };
        total = total.saturating_add(
            scaled(number, unit_nanos)
                .ok_or_else(|| format!("{s:?}: {number:?} is not a number; {HINT}"))?,
        );
        if total > MAX.as_nanos() {
            return Err(format!("{s:?} is longer than a day; {HINT}"));
        }
        rest = after;
    }
    // At most a day of nanoseconds: fits u64.
    Ok(Duration::from_nanos(
        u64::try_from(total).unwrap_or(u64::MAX),
    ))
}

/// `number × unit_nanos` for a decimal `number` such as `1`, `1.5`, `.25`;
/// digits below a nanosecond are dropped. `None` when it is not a number.
fn scaled(number: &str, unit_nanos: u128) -> Option<u128> {
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if (int.is_empty() && frac.is_empty()) || frac.contains('.') {
        return None;
    }
    let mut nanos: u128 = 0;
    for d in int.bytes() {
        nanos = nanos
            .saturating_mul(10)
            .saturating_add(u128::from(d - b'0') * unit_nanos);
        if nanos > MAX.as_nanos() {
            return Some(nanos); // the caller refuses it as too long
        }
    }
    let mut scale = unit_nanos;
    for d in frac.bytes() {
        scale /= 10;
        nanos += u128::from(d - b'0') * scale;
    }
    Some(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, expected milliseconds or None, reason)
    const CASES: &[(&str, Option<u64>, &str)] = &[
        ("10s", Some(10_000), "seconds"),
        ("1m30s", Some(90_000), "compound"),
        ("500ms", Some(500), "milliseconds"),
        ("1.5s", Some(1_500), "a fraction"),
        (".5s", Some(500), "a fraction without its integer part"),
        ("1.5h", Some(5_400_000), "fraction of an hour"),
        ("0", Some(0), "bare zero"),
        ("0s", Some(0), "zero with a unit"),
        (" 10s ", Some(10_000), "surrounding blanks"),
        ("24h", Some(86_400_000), "the longest taken"),
        ("10", None, "a unit is required"),
        ("", None, "empty"),
        ("ten seconds", None, "words"),
        ("5d", None, "days are not a Go unit"),
        ("-1s", None, "negative"),
        ("1..5s", None, "two points"),
        (".s", None, "a point is not a number"),
        ("25h", None, "longer than a day"),
        (
            "99999999999999999999999999999999999999999h",
            None,
            "overflow is refused, not a panic",
        ),
        ("1s 2s", None, "a blank inside"),
        ("1µs", None, "micro is not taken"),
    ];

    #[test]
    fn kubectl_style() {
        for (input, want, why) in CASES {
            let got = parse_duration(input).map(|d| d.as_millis() as u64);
            match want {
                Some(ms) => assert_eq!(got, Ok(*ms), "{why}: {input:?}"),
                None => assert!(got.is_err(), "{why}: {input:?} gave {got:?}"),
            }
        }
    }
}
