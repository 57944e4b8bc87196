//! Stage 1: the endpoint's address — from `--resolve`, the host itself when
//! it is an address, or DNS.

use super::Target;
use super::report::{Failure, Passed};
use msr_expose_core::endpoint::resolve_failed;
use std::net::{IpAddr, SocketAddr};

/// Where to connect.
pub async fn run(t: &Target) -> Result<Passed<SocketAddr>, Failure> {
    if let Some(r) = t
        .resolve
        .iter()
        .find(|r| r.host == t.host && r.port == t.port)
    {
        let addr = SocketAddr::new(r.address, t.port);
        return Ok((addr, format!("{} (from --resolve)", r.address)));
    }
    if let Ok(ip) = t.host.parse::<IpAddr>() {
        return Ok((SocketAddr::new(ip, t.port), format!("{ip} (an address)")));
    }
    match tokio::net::lookup_host((t.host.as_str(), t.port)).await {
        Ok(mut addrs) => match addrs.next() {
            Some(a) => Ok((a, a.ip().to_string())),
            None => Err(Failure::new(
                "no address",
                resolve_failed(&t.host, "it has no address"),
            )),
        },
        Err(e) => Err(Failure::new(
            e.to_string(),
            resolve_failed(&t.host, &e.to_string()),
        )),
    }
}
