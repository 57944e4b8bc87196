//! Stage 2: a TCP connection to the address.

use super::report::{Failure, Passed};
use msr_expose_core::endpoint::connect_failed;
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// The connected socket, with Nagle's algorithm off: the request follows the
/// handshake's last flight in a second small write, which would otherwise
/// wait for the server's delayed ACK (40 ms on Linux), as curl avoids too.
pub async fn run(addr: SocketAddr) -> Result<Passed<TcpStream>, Failure> {
    match TcpStream::connect(addr).await {
        Ok(s) => {
            let _ = s.set_nodelay(true);
            Ok((s, addr.to_string()))
        }
        Err(e) => Err(Failure::new(
            e.to_string(),
            connect_failed(&addr.to_string(), &e.to_string()),
        )),
    }
}
