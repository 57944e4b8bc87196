//! A picture of the path a registry client takes to the cache, drawn live
//! from the spec: each hop with the names and ports the operator typed,
//! where TLS ends (at the cache — everything before passes it through) and
//! the name the certificate must carry. An ordered list of boxes, not a
//! scaled drawing: its text keeps the page's size at every width, the boxes
//! wrap, and on a phone they stack (style.css).

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
    let last = hops.len().saturating_sub(1);
    let path = hops
        .iter()
        .map(|h| h.title.as_str())
        .collect::<Vec<_>>()
        .join(" → ");
    html! {
        <figure class="path-picture" id={ids.id("path-picture")}>
            <ol class="hops" aria-label={format!("The path: {path}")}>
                { for hops.iter().enumerate().map(|(i, h)| html! {
                    <li class={classes!("hop", (i == last).then_some("cache"))}>
                        <div>
                            <strong>{ &h.title }</strong>
                            { for h.lines.iter().map(|l| html! { <span>{ l }</span> }) }
                        </div>
                    </li>
                }) }
            </ol>
            <figcaption>
                { format!("Clients use {}. TLS passes through untouched and ends at the cache pods; the certificate must name {name}.", p.url) }
            </figcaption>
        </figure>
    }
}
