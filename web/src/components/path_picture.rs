//! A picture of the path a registry client takes to the cache, drawn live
//! from the spec as inline SVG: each hop with the names and ports the
//! operator typed, where TLS ends (at the cache — everything before passes it
//! through) and the name the certificate must carry.

use msr_expose_core::ValidSpec;
use msr_expose_core::method::Hop;
use yew::prelude::*;

/// Props of [`PathPicture`] (the URL is shown under the hops).
#[derive(Properties, PartialEq)]
pub struct PathPictureProps {
    /// The valid spec the picture shows (only drawn once the outputs exist).
    pub spec: ValidSpec,
    /// The endpoint URL clients use.
    pub url: AttrValue,
}

/// The hops, client first and the cache's pods last, the method's own
/// between them (`Exposed::hops`); and the name the certificate carries.
fn hops(s: &ValidSpec) -> (Vec<Hop>, String) {
    let client = Hop::new(
        "client",
        ["docker, containerd".into(), "skopeo, CRI-O".into()],
    );
    let pods = Hop::new(
        "cache pods",
        [
            s.selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
            format!("HTTPS :{}", s.target_port),
            "TLS ends here".into(),
        ],
    );
    let mut all = vec![client];
    all.extend(s.exposure.hops(&s.common));
    all.push(pods);
    (all, s.host().to_string())
}

/// The picture.
#[function_component]
pub fn PathPicture(p: &PathPictureProps) -> Html {
    let ids = crate::embed::use_ids();
    let (hops, name) = hops(&p.spec);
    const W: i32 = 160;
    const GAP: i32 = 28;
    const H: i32 = 84;
    let n = hops.len() as i32;
    let width = n * W + (n - 1) * GAP;
    let described = format!(
        "{}. TLS is passed through every hop and ends at the cache pods; the certificate must name {name}.",
        hops.iter()
            .map(|h| h.title.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    );
    html! {
        <figure class="path-picture" id={ids.id("path-picture")} tabindex="0">
            <svg viewBox={format!("0 0 {width} {}", H + 50)} role="img" aria-label={described.clone()}
                preserveAspectRatio="xMinYMin meet">
                <title>{ described }</title>
                { for hops.iter().enumerate().map(|(i, h)| {
                    let x = i as i32 * (W + GAP);
                    let last = i as i32 == n - 1;
                    html! {
                        <g class={classes!("hop", last.then_some("cache"))}>
                            <rect x={x.to_string()} y="0" width={W.to_string()} height={H.to_string()} rx="6" />
                            <text x={(x + 8).to_string()} y="20" class="hop-title">{ &h.title }</text>
                            { for h.lines.iter().enumerate().map(|(j, l)| html! {
                                <text x={(x + 8).to_string()} y={(40 + 18 * j as i32).to_string()} class="hop-line">{ l }</text>
                            }) }
                            if !last {
                                <line x1={(x + W).to_string()} y1={(H / 2).to_string()} x2={(x + W + GAP - 4).to_string()} y2={(H / 2).to_string()} class="arrow" />
                                <path d={format!("M{} {} l-6 -4 v8 z", x + W + GAP, H / 2)} class="arrow-head" />
                            }
                        </g>
                    }
                }) }
                <text x="0" y={(H + 24).to_string()} class="tls-note">
                    { format!("Clients use {}. TLS passes through untouched and ends at the cache pods;", p.url) }
                </text>
                <text x="0" y={(H + 42).to_string()} class="tls-note">
                    { format!("the certificate must name {name}.") }
                </text>
            </svg>
        </figure>
    }
}
