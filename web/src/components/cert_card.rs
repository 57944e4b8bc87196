//! The certificate card: what the bundle holds, with the name that matches
//! the chosen interface highlighted.

use msr_expose_core::CertInfo;
use msr_expose_core::cert::{Role, usage_text as usage};
use yew::prelude::*;

/// Props of [`CertCard`].
#[derive(Properties, PartialEq)]
pub struct CertCardProps {
    /// The chain, leaf first.
    pub certificates: Vec<CertInfo>,
    /// Whether the key matches the leaf.
    pub key_matches: Option<bool>,
    /// What the chain was verified against: `Ok(CA subject)` when it ends
    /// at the CA given with no chain or certificate error, `Err(why not)`.
    pub verified: Result<String, String>,
}

/// The card.
#[function_component]
pub fn CertCard(p: &CertCardProps) -> Html {
    let ids = crate::embed::use_ids();
    let Some(leaf) = p.certificates.first() else {
        return html! {};
    };
    let matched = leaf.matched_name.clone();
    let names = leaf.dns_names.iter().map(|d| (d.clone(), d.clone())).chain(
        leaf.ip_addresses
            .iter()
            .map(|i| (format!("IP:{i}"), i.clone())),
    );
    let days = if leaf.days_left < 0 {
        format!("expired {} days ago", -leaf.days_left)
    } else {
        format!("{} days left", leaf.days_left)
    };
    html! {
        <section class="cert-card" id={ids.id("cert-card")} aria-labelledby={ids.id("cert-card-h")}>
            <h3 id={ids.id("cert-card-h")}>{ "Cache certificate" }</h3>
            <dl>
                <dt>{ "Subject" }</dt><dd>{ &leaf.subject }</dd>
                <dt>{ "Issuer" }</dt><dd class="issuer">{ &leaf.issuer }</dd>
                <dt>{ "Serial" }</dt><dd class="serial"><code>{ &leaf.serial }</code></dd>
                <dt>{ "Signature" }</dt><dd class="signature">{ &leaf.signature_algorithm }</dd>
                <dt>{ "Key usage" }</dt><dd class="key-usage">{ usage(&leaf.key_usage) }</dd>
                <dt>{ "Extended key usage" }</dt><dd class="ext-key-usage">{ usage(&leaf.extended_key_usage) }</dd>
                <dt>{ "Names (SANs)" }</dt>
                <dd class="sans">
                    { for names.map(|(label, _)| {
                        let hit = matched.as_deref() == Some(label.as_str());
                        if hit { html! { <mark class="san match" title="matches the chosen interface">{ label }</mark> } }
                        else { html! { <span class="san">{ label }</span> } }
                    }) }
                </dd>
                <dt>{ "Valid" }</dt><dd>{ format!("{} to {} ({days})", leaf.not_before, leaf.not_after) }</dd>
                <dt>{ "Key" }</dt><dd>{ &leaf.key }
                    { match p.key_matches {
                        Some(true) => html! { <span class="key-ok">{ " — private key matches" }</span> },
                        Some(false) => html! { <span class="key-bad">{ " — private key does not match" }</span> },
                        None => html! {},
                    } }
                </dd>
                <dt>{ "Verified" }</dt>
                { match &p.verified {
                    Ok(ca) => html! { <dd class="verified">{ format!("against this CA: {ca}") }</dd> },
                    Err(why) => html! { <dd class="not-verified">{ why }</dd> },
                } }
                <dt>{ "SHA-256" }</dt><dd class="fp"><code>{ &leaf.sha256_fingerprint }</code></dd>
                <dt>{ "Chain" }</dt>
                <dd>
                    <ol class="chain">
                        { for p.certificates.iter().map(|c| html! {
                            <li class={role_name(c.role)}>
                                <span class="role">{ role_name(c.role) }</span>{ " " }{ &c.subject }
                                <span class="days">{ format!(" ({} days left)", c.days_left) }</span>
                            </li>
                        }) }
                    </ol>
                </dd>
            </dl>
        </section>
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Leaf => "leaf",
        Role::Intermediate => "intermediate",
        Role::Root => "root",
        Role::Unrelated => "unrelated",
    }
}
