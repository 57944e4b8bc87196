//! A picture of the path a registry client takes to the cache, drawn live
//! from the spec as inline SVG: each hop with the names and ports the
//! operator typed, where TLS ends (at the cache — everything before passes it
//! through) and the name the certificate must carry.

use msr_expose_core::{Method, Spec};
use yew::prelude::*;

/// Props of [`PathPicture`] (the URL is shown under the hops).
#[derive(Properties, PartialEq)]
pub struct PathPictureProps {
    /// The spec the picture shows (only drawn once the outputs exist).
    pub spec: Spec,
    /// The endpoint URL clients use.
    pub url: AttrValue,
}

/// One hop: a title and up to two detail lines.
struct Hop {
    title: String,
    lines: Vec<String>,
}

fn hop(title: impl Into<String>, lines: &[String]) -> Hop {
    Hop {
        title: title.into(),
        lines: lines.to_vec(),
    }
}

/// The hops for the spec's method, client first.
fn hops(s: &Spec) -> (Vec<Hop>, String) {
    let svc = format!("Service {}", s.name);
    let pods = hop(
        "cache pods",
        &[
            s.selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
            format!("HTTPS :{}", s.target_port),
            "TLS ends here".into(),
        ],
    );
    let client = hop(
        "client",
        &["docker, containerd".into(), "skopeo, CRI-O".into()],
    );
    let host = s.external_fqdn.clone().unwrap_or_default();
    let dns = hop("DNS", &[host.clone(), "→ the address below".into()]);
    let port = format!(":{}", s.port);
    match s.method.unwrap_or(Method::Nodeport) {
        Method::Nodeport => {
            let node = s.node_fqdn.clone().unwrap_or_default();
            let np = s
                .node_port
                .map(|p| format!(":{p}"))
                .unwrap_or_else(|| ":<allocated>".into());
            (
                vec![
                    client,
                    hop("worker node", &[node.clone(), format!("node port {np}")]),
                    hop(svc, &["type NodePort".into(), port]),
                    pods,
                ],
                node,
            )
        }
        Method::Loadbalancer => (
            vec![
                client,
                dns,
                hop(
                    "load balancer",
                    &["the provider's address".into(), port.clone()],
                ),
                hop(svc, &["type LoadBalancer".into(), port]),
                pods,
            ],
            host,
        ),
        Method::Gateway => {
            let gw = s
                .gateway_name
                .clone()
                .or_else(|| s.listener_set_name.clone())
                .unwrap_or_else(|| s.name.clone());
            (
                vec![
                    client,
                    dns,
                    hop(
                        format!("Gateway {gw}"),
                        &["TLS listener :443".into(), "Passthrough (by SNI)".into()],
                    ),
                    hop(
                        format!("TLSRoute {}", s.name),
                        &[host.clone(), "passes TLS on".into()],
                    ),
                    hop(svc, &["ClusterIP".into(), port]),
                    pods,
                ],
                host,
            )
        }
        Method::Traefik => {
            let ep = s
                .entry_points
                .clone()
                .unwrap_or_else(|| vec!["websecure".into()])
                .join(",");
            (
                vec![
                    client,
                    dns,
                    hop(
                        "Traefik",
                        &[format!("entry point {ep}"), "HostSNI, passthrough".into()],
                    ),
                    hop(svc, &["ClusterIP".into(), port]),
                    pods,
                ],
                host,
            )
        }
        Method::Openshift => (
            vec![
                client,
                dns,
                hop(
                    "OpenShift router",
                    &[":443".into(), "passthrough (by SNI)".into()],
                ),
                hop(
                    format!("Route {}", s.name),
                    &[host.clone(), "passes TLS on".into()],
                ),
                hop(svc, &["ClusterIP".into(), port]),
                pods,
            ],
            host,
        ),
        Method::Istio => {
            let gw = s
                .istio_gateway
                .clone()
                .unwrap_or_else(|| format!("Gateway {}", s.name));
            (
                vec![
                    client,
                    dns,
                    hop(
                        "Istio ingress gateway",
                        &[gw, "TLS :443 PASSTHROUGH".into()],
                    ),
                    hop(
                        format!("VirtualService {}", s.name),
                        &[format!("sniHosts {host}"), "passes TLS on".into()],
                    ),
                    hop(svc, &["ClusterIP".into(), port]),
                    pods,
                ],
                host,
            )
        }
        Method::Ingress => (
            vec![
                client,
                dns,
                hop(
                    "ingress controller",
                    &[":443".into(), "ssl-passthrough (by SNI)".into()],
                ),
                hop(svc, &["ClusterIP".into(), port]),
                pods,
            ],
            host,
        ),
    }
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
