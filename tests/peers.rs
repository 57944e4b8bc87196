//! Real peers for the endpoint tests, started by the tests on 127.0.0.1 and
//! stopped when dropped: the Docker Distribution registry (Debian's
//! `docker-registry`) and nginx (TLS servers, and the stream module routing
//! by SNI with `ssl_preread`, as an ingress controller passes TLS through).

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Waits until something accepts on the port.
pub fn wait_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A peer process; killed on drop, with its scratch directory.
pub struct Peer {
    child: Child,
    _dir: tempfile::TempDir,
    /// The port it serves on.
    pub port: u16,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Docker Distribution registry serving TLS with `cert`/`key` on
/// 127.0.0.1; with `auth`, the catalog asks for credentials (401 with a
/// WWW-Authenticate challenge).
pub fn registry(cert: &Path, key: &Path, auth: bool, port: Option<u16>) -> Peer {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let port = port.unwrap_or_else(free_port);
    let auth_block = if auth {
        "auth:\n  silly:\n    realm: https://auth.example.com/token\n    service: msr-cache\n"
    } else {
        ""
    };
    let config = format!(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n{auth_block}http:\n  addr: 127.0.0.1:{port}\n  tls:\n    certificate: {}\n    key: {}\n",
        dir.path().join("data").display(),
        cert.display(),
        key.display()
    );
    let cfg = dir.path().join("config.yml");
    std::fs::write(&cfg, config).unwrap_or_else(|e| panic!("write: {e}"));
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&cfg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start docker-registry ({e}); make setup installs it"));
    wait_port(port, "docker-registry");
    Peer {
        child,
        _dir: dir,
        port,
    }
}

/// nginx with the given `http {…}` and `stream {…}` bodies (placeholders
/// `{dir}` for its scratch directory).
pub fn nginx(http: &str, stream: &str, port: u16) -> Peer {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let d = dir.path().display().to_string();
    let conf = format!(
        "load_module /usr/lib/nginx/modules/ngx_stream_module.so;\nuser root root;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n{http}\n}}\nstream {{\n{stream}\n}}\n"
    );
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, conf).unwrap_or_else(|e| panic!("write: {e}"));
    let child = Command::new("nginx")
        .args(["-p", &d, "-c"])
        .arg(&path)
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start nginx ({e}); make setup installs nginx-light and libnginx-mod-stream"
            )
        });
    wait_port(port, "nginx");
    Peer {
        child,
        _dir: dir,
        port,
    }
}

/// A listener that accepts connections and never answers (held open).
pub struct Silent {
    /// The port.
    pub port: u16,
    _thread: std::thread::JoinHandle<()>,
}

/// Starts a [`Silent`] listener.
pub fn silent() -> Silent {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let thread = std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    Silent {
        port,
        _thread: thread,
    }
}
