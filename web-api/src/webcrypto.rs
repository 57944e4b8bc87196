//! The page's answers to the core's crypto questions, from the browser's
//! own WebCrypto (`crypto.subtle`): RSA PKCS#1 v1.5 and PSS, ECDSA on
//! P-256/384/521, Ed25519. The module carries no signature math, and keys
//! stay in the tab: a private key is imported only to read its public half
//! (extractable so its JWK can be read, never stored).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use msr_expose_core::cert::crypto::{Hash, KeyAlg, KeyQuestion, SigAlg, SigQuestion};
use msr_expose_core::{Answers, Questions};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Answers every question, in order; anything WebCrypto refuses is `false`
/// (or no public key), never an exception.
pub async fn answer(q: &Questions) -> Answers {
    let Some(subtle) = subtle() else {
        return Answers {
            signatures: vec![false; q.signatures.len()],
            public_key: None,
        };
    };
    let mut signatures = Vec::with_capacity(q.signatures.len());
    for s in &q.signatures {
        signatures.push(verify(&subtle, s).await.unwrap_or(false));
    }
    let public_key = match &q.key {
        Some(k) => derive_public(&subtle, k).await,
        None => None,
    };
    Answers {
        signatures,
        public_key,
    }
}

fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    (!subtle.is_undefined()).then_some(subtle)
}

/// Calls `subtle[method](...args)` and awaits the promise.
async fn call(subtle: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: Function = Reflect::get(subtle, &method.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    let promise: Promise = f.apply(subtle, &args).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// A WebCrypto algorithm object, built from serde (the module's one JSON path).
fn object<T: Serialize>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or_else(|| Object::new().into())
}

#[derive(Serialize)]
struct Alg<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash: Option<Hash>,
    #[serde(rename = "namedCurve", skip_serializing_if = "Option::is_none")]
    named_curve: Option<msr_expose_core::cert::crypto::Curve>,
    #[serde(rename = "saltLength", skip_serializing_if = "Option::is_none")]
    salt_length: Option<usize>,
}

fn alg(name: &str) -> Alg<'_> {
    Alg {
        name,
        hash: None,
        named_curve: None,
        salt_length: None,
    }
}

async fn verify(subtle: &JsValue, q: &SigQuestion) -> Option<bool> {
    let (import, with, signature) = match q.alg {
        SigAlg::RsaPkcs1 { hash } => (
            Alg {
                hash: Some(hash),
                ..alg("RSASSA-PKCS1-v1_5")
            },
            alg("RSASSA-PKCS1-v1_5"),
            q.signature.as_slice(),
        ),
        SigAlg::RsaPss { hash } => (
            Alg {
                hash: Some(hash),
                ..alg("RSA-PSS")
            },
            Alg {
                salt_length: Some(hash.output_len()),
                ..alg("RSA-PSS")
            },
            q.signature.as_slice(),
        ),
        SigAlg::Ecdsa { curve, hash } => (
            Alg {
                named_curve: Some(curve),
                ..alg("ECDSA")
            },
            Alg {
                hash: Some(hash),
                ..alg("ECDSA")
            },
            // The core converts only strict DER; anything else never verifies.
            q.p1363.as_deref()?,
        ),
        SigAlg::Ed25519 => (alg("Ed25519"), alg("Ed25519"), q.signature.as_slice()),
    };
    let usages: Array = std::iter::once(JsValue::from("verify")).collect();
    let key = call(
        subtle,
        "importKey",
        &[
            "spki".into(),
            Uint8Array::from(q.spki.as_slice()).into(),
            object(&import),
            false.into(),
            usages.into(),
        ],
    )
    .await?;
    let ok = call(
        subtle,
        "verify",
        &[
            object(&with),
            key,
            Uint8Array::from(signature).into(),
            Uint8Array::from(q.message.as_slice()).into(),
        ],
    )
    .await?;
    ok.as_bool()
}

async fn derive_public(subtle: &JsValue, k: &KeyQuestion) -> Option<Vec<u8>> {
    let import = match k.alg {
        KeyAlg::Ec { curve } => Alg {
            named_curve: Some(curve),
            ..alg("ECDSA")
        },
        KeyAlg::Ed25519 => alg("Ed25519"),
    };
    let usages: Array = std::iter::once(JsValue::from("sign")).collect();
    let key = call(
        subtle,
        "importKey",
        &[
            "pkcs8".into(),
            Uint8Array::from(k.pkcs8.as_slice()).into(),
            object(&import),
            true.into(),
            usages.into(),
        ],
    )
    .await?;
    let jwk = call(subtle, "exportKey", &["jwk".into(), key]).await?;
    let coordinate = |name: &str| -> Option<Vec<u8>> {
        let v = Reflect::get(&jwk, &name.into()).ok()?.as_string()?;
        URL_SAFE_NO_PAD.decode(v).ok()
    };
    match k.alg {
        KeyAlg::Ed25519 => coordinate("x"),
        KeyAlg::Ec { .. } => {
            let mut point = vec![4];
            point.extend(coordinate("x")?);
            point.extend(coordinate("y")?);
            Some(point)
        }
    }
}
