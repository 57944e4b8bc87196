//! ECDSA verification and public-key derivation on NIST P-256 and P-384
//! (FIPS 186-5, SEC 1) over `num-bigint`, in Jacobian coordinates.
//! Everything here works on public data (certificate signatures) or derives
//! a public point from a key only to compare it with a certificate, so
//! constant time does not matter. It replaces the `p256`/`p384` crates,
//! whose field arithmetic was about 150 KB of the browser build, where the
//! size budget is 400 KB gzipped; a check costs a few milliseconds more
//! (BENCHMARKS.md). openssl's verdicts on the fixtures are the reference in
//! the tests.

use num_bigint::BigUint;

/// A prime-order short Weierstrass curve with a = -3.
pub struct Curve {
    p: BigUint,
    n: BigUint,
    b: BigUint,
    g: (BigUint, BigUint),
    /// Field element size in bytes.
    pub size: usize,
}

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

/// NIST P-256 (secp256r1, prime256v1).
pub fn p256() -> Curve {
    Curve {
        p: hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
        n: hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        b: hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
        g: (
            hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
            hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
        ),
        size: 32,
    }
}

/// The curve by name (`P-256`, `P-384`).
pub fn by_name(name: &str) -> Option<Curve> {
    match name {
        "P-256" => Some(p256()),
        "P-384" => Some(p384()),
        _ => None,
    }
}

/// NIST P-384 (secp384r1).
pub fn p384() -> Curve {
    Curve {
        p: hex(
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        ),
        n: hex(
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        ),
        b: hex(
            "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        ),
        g: (
            hex(
                "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
            ),
            hex(
                "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
            ),
        ),
        size: 48,
    }
}

/// A point in Jacobian coordinates; Z = 0 is the point at infinity.
#[derive(Clone)]
struct Jacobian {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Curve {
    fn add_m(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + b) % &self.p
    }
    fn sub_m(&self, a: &BigUint, b: &BigUint) -> BigUint {
        ((a + &self.p) - (b % &self.p)) % &self.p
    }
    fn mul_m(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }
    fn small(&self, k: u32, a: &BigUint) -> BigUint {
        (a * k) % &self.p
    }

    fn infinity() -> Jacobian {
        Jacobian {
            x: BigUint::from(1u8),
            y: BigUint::from(1u8),
            z: BigUint::default(),
        }
    }

    fn is_infinity(pt: &Jacobian) -> bool {
        pt.z == BigUint::default()
    }

    fn affine_to_jacobian(x: &BigUint, y: &BigUint) -> Jacobian {
        Jacobian {
            x: x.clone(),
            y: y.clone(),
            z: BigUint::from(1u8),
        }
    }

    /// dbl-2001-b (a = -3).
    fn double(&self, pt: &Jacobian) -> Jacobian {
        if Self::is_infinity(pt) || pt.y == BigUint::default() {
            return Self::infinity();
        }
        let delta = self.mul_m(&pt.z, &pt.z);
        let gamma = self.mul_m(&pt.y, &pt.y);
        let beta = self.mul_m(&pt.x, &gamma);
        let alpha = self.small(
            3,
            &self.mul_m(&self.sub_m(&pt.x, &delta), &self.add_m(&pt.x, &delta)),
        );
        let x3 = self.sub_m(&self.mul_m(&alpha, &alpha), &self.small(8, &beta));
        let yz = self.add_m(&pt.y, &pt.z);
        let z3 = self.sub_m(&self.sub_m(&self.mul_m(&yz, &yz), &gamma), &delta);
        let y3 = self.sub_m(
            &self.mul_m(&alpha, &self.sub_m(&self.small(4, &beta), &x3)),
            &self.small(8, &self.mul_m(&gamma, &gamma)),
        );
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// add-2007-bl, with the doubling and inverse cases.
    fn add(&self, a: &Jacobian, b: &Jacobian) -> Jacobian {
        if Self::is_infinity(a) {
            return b.clone();
        }
        if Self::is_infinity(b) {
            return a.clone();
        }
        let z1z1 = self.mul_m(&a.z, &a.z);
        let z2z2 = self.mul_m(&b.z, &b.z);
        let u1 = self.mul_m(&a.x, &z2z2);
        let u2 = self.mul_m(&b.x, &z1z1);
        let s1 = self.mul_m(&self.mul_m(&a.y, &b.z), &z2z2);
        let s2 = self.mul_m(&self.mul_m(&b.y, &a.z), &z1z1);
        let h = self.sub_m(&u2, &u1);
        let r = self.small(2, &self.sub_m(&s2, &s1));
        if h == BigUint::default() {
            return if r == BigUint::default() {
                self.double(a)
            } else {
                Self::infinity()
            };
        }
        let i = {
            let h2 = self.small(2, &h);
            self.mul_m(&h2, &h2)
        };
        let j = self.mul_m(&h, &i);
        let v = self.mul_m(&u1, &i);
        let x3 = self.sub_m(&self.sub_m(&self.mul_m(&r, &r), &j), &self.small(2, &v));
        let y3 = self.sub_m(
            &self.mul_m(&r, &self.sub_m(&v, &x3)),
            &self.small(2, &self.mul_m(&s1, &j)),
        );
        let zs = self.add_m(&a.z, &b.z);
        let z3 = self.mul_m(
            &self.sub_m(&self.sub_m(&self.mul_m(&zs, &zs), &z1z1), &z2z2),
            &h,
        );
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn to_affine(&self, pt: &Jacobian) -> Option<(BigUint, BigUint)> {
        if Self::is_infinity(pt) {
            return None;
        }
        let zinv = pt.z.modpow(&(&self.p - 2u32), &self.p);
        let zinv2 = self.mul_m(&zinv, &zinv);
        let x = self.mul_m(&pt.x, &zinv2);
        let y = self.mul_m(&pt.y, &self.mul_m(&zinv2, &zinv));
        Some((x, y))
    }

    /// `k1·P1 + k2·P2` (Shamir's trick).
    fn double_mul(&self, k1: &BigUint, p1: &Jacobian, k2: &BigUint, p2: &Jacobian) -> Jacobian {
        let sum = self.add(p1, p2);
        let bits = k1.bits().max(k2.bits());
        let mut acc = Self::infinity();
        for i in (0..bits).rev() {
            acc = self.double(&acc);
            match (k1.bit(i), k2.bit(i)) {
                (true, true) => acc = self.add(&acc, &sum),
                (true, false) => acc = self.add(&acc, p1),
                (false, true) => acc = self.add(&acc, p2),
                (false, false) => {}
            }
        }
        acc
    }

    fn on_curve(&self, x: &BigUint, y: &BigUint) -> bool {
        x < &self.p && y < &self.p && self.mul_m(y, y) == self.rhs(x)
    }

    /// x³ - 3x + b.
    fn rhs(&self, x: &BigUint) -> BigUint {
        let x3 = self.mul_m(&self.mul_m(x, x), x);
        self.add_m(&self.sub_m(&x3, &self.small(3, x)), &self.b)
    }

    /// Decodes a SEC1 point (uncompressed or compressed) on this curve.
    pub fn decode_point(&self, bytes: &[u8]) -> Option<(BigUint, BigUint)> {
        let size = self.size;
        match bytes.split_first()? {
            (0x04, rest) if rest.len() == 2 * size => {
                let x = BigUint::from_bytes_be(&rest[..size]);
                let y = BigUint::from_bytes_be(&rest[size..]);
                self.on_curve(&x, &y).then_some((x, y))
            }
            (&tag @ (0x02 | 0x03), rest) if rest.len() == size => {
                let x = BigUint::from_bytes_be(rest);
                if x >= self.p {
                    return None;
                }
                // p ≡ 3 (mod 4): the square root is rhs^((p+1)/4).
                let rhs = self.rhs(&x);
                let mut y = rhs.modpow(&((&self.p + 1u32) >> 2), &self.p);
                if self.mul_m(&y, &y) != rhs {
                    return None;
                }
                if y.bit(0) != (tag == 0x03) {
                    y = &self.p - y;
                }
                Some((x, y))
            }
            _ => None,
        }
    }

    /// The uncompressed SEC1 encoding of a point.
    pub fn encode_point(&self, x: &BigUint, y: &BigUint) -> Vec<u8> {
        let mut out = vec![0x04];
        for v in [x, y] {
            let b = v.to_bytes_be();
            out.extend(std::iter::repeat_n(0u8, self.size.saturating_sub(b.len())));
            out.extend_from_slice(&b);
        }
        out
    }

    /// `d·G`, uncompressed, for a private scalar `d` (1 ≤ d < n).
    pub fn public_key(&self, d: &[u8]) -> Option<Vec<u8>> {
        let d = BigUint::from_bytes_be(d);
        if d == BigUint::default() || d >= self.n {
            return None;
        }
        let g = Self::affine_to_jacobian(&self.g.0, &self.g.1);
        let q = self.double_mul(&d, &g, &BigUint::default(), &Self::infinity());
        let (x, y) = self.to_affine(&q)?;
        Some(self.encode_point(&x, &y))
    }

    /// ECDSA verification of `(r, s)` over the message digest `hash`.
    pub fn verify(&self, point: &[u8], hash: &[u8], r: &[u8], s: &[u8]) -> bool {
        let Some((qx, qy)) = self.decode_point(point) else {
            return false;
        };
        let (r, s) = (BigUint::from_bytes_be(r), BigUint::from_bytes_be(s));
        let zero = BigUint::default();
        if r == zero || s == zero || r >= self.n || s >= self.n {
            return false;
        }
        // The leftmost bits of the hash, as many as n has.
        let n_bits = self.n.bits();
        let mut e = BigUint::from_bytes_be(hash);
        let h_bits = (hash.len() as u64) * 8;
        if h_bits > n_bits {
            e >>= h_bits - n_bits;
        }
        let w = s.modpow(&(&self.n - 2u32), &self.n);
        let u1 = (&e * &w) % &self.n;
        let u2 = (&r * &w) % &self.n;
        let g = Self::affine_to_jacobian(&self.g.0, &self.g.1);
        let q = Self::affine_to_jacobian(&qx, &qy);
        let Some((x, _)) = self.to_affine(&self.double_mul(&u1, &g, &u2, &q)) else {
            return false;
        };
        x % &self.n == r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_on_the_curve_and_has_order_n() {
        for c in [p256(), p384()] {
            assert!(c.on_curve(&c.g.0, &c.g.1));
            let g = Curve::affine_to_jacobian(&c.g.0, &c.g.1);
            let ng = c.double_mul(&c.n, &g, &BigUint::default(), &Curve::infinity());
            assert!(Curve::is_infinity(&ng), "n·G is the point at infinity");
        }
    }

    #[test]
    fn compressed_and_uncompressed_agree() {
        let c = p384();
        let pk = c.public_key(&[7u8]).expect("7·G");
        let (x, y) = c.decode_point(&pk).expect("on curve");
        let mut compressed = vec![if y.bit(0) { 0x03 } else { 0x02 }];
        compressed.extend_from_slice(&pk[1..49]);
        assert_eq!(c.decode_point(&compressed), Some((x, y)));
    }

    #[test]
    fn garbage_is_rejected_not_a_panic() {
        let c = p384();
        assert!(c.decode_point(&[]).is_none());
        assert!(c.decode_point(&[0x04; 97]).is_none());
        assert!(!c.verify(&[0x04; 97], &[1; 48], &[1], &[1]));
        assert!(c.public_key(&[]).is_none());
    }
}
