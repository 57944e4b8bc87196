//! A SIMULATED Kubernetes API server for the `apply` and `up` tests: no real
//! API server can be started on this machine, so this one speaks just enough
//! of the API over plain HTTP on 127.0.0.1 — namespaces, Services, Ingresses
//! and custom resources (any `/apis/{group}/{version}/…` path, served only
//! while a seeded CRD serves that version, as a real API server does):
//! get, list (with a `metadata.name` field selector), watch (a chunked
//! stream of events for one named object), delete and server-side apply (PATCH with
//! `application/apply-patch+yaml` and a `fieldManager`) — and records every
//! request so the tests can check what msr-expose sent. It allocates node
//! ports, tracks managedFields and resourceVersions (unchanged objects keep
//! theirs), and plays the controllers after a few reads: an Ingress address,
//! a LoadBalancer address (or `<pending>` forever), a Gateway Programmed with
//! an address, a TLSRoute's parent status (Accepted, or a failure reason, or
//! none at all), the OpenShift router's admission of a Route (served as
//! OpenShift serves it, by an aggregated API with discovery and no CRD:
//! Admitted with its canonical host name, or rejected with a reason); and it
//! answers 403/404/409/422 in the fault cases the tests
//! switch on — and the network's faults: a request carried out but never
//! answered (the connection dropped mid-apply), or answered only slowly.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query string.
    pub query: String,
    /// Content-Type header.
    pub content_type: String,
}

/// Faults to inject and behaviour to simulate.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer 403 to requests with this method (`PATCH`, `DELETE`, `GET`).
    pub forbid_method: Option<String>,
    /// Answer 409 (field manager conflict) to apply requests.
    pub conflict: bool,
    /// Reads of an Ingress before the simulated controller gives it an address (None: never).
    pub ingress_address_after: Option<u32>,
    /// The address the simulated controller publishes.
    pub ingress_address: String,
    /// The first node port to allocate.
    pub next_node_port: u16,
    /// Reads of a LoadBalancer Service before the provider gives it an
    /// address (None: never — no provider).
    pub lb_address_after: Option<u32>,
    /// Reads of a Gateway before its controller programs it (None: never).
    pub gateway_programmed_after: Option<u32>,
    /// The address the Gateway controller and the load-balancer provider publish.
    pub controller_address: String,
    /// The TLSRoute's parent status: `None` no controller writes any;
    /// `Some("")` Accepted; `Some(reason)` Accepted False with that reason.
    pub route_reason: Option<String>,
    /// The TLSRoute versions the simulated controller watches (None: any):
    /// a route of another version gets no status, as a real controller
    /// that does not watch it never reads it.
    pub route_watched: Option<Vec<String>>,
    /// The controller name the simulated controller writes route status
    /// under (None: `example.com/simulated-gateway-controller`).
    pub route_controller: Option<String>,
    /// Requests with this method are carried out, then the connection is
    /// closed without an answer (the network dropped it mid-apply).
    pub drop_method: Option<String>,
    /// Requests with this method are answered only after this long.
    pub slow: Option<(String, std::time::Duration)>,
    /// Serve OpenShift's `route.openshift.io/v1` (aggregated: discovery,
    /// no CRD), as an OpenShift cluster does.
    pub openshift: bool,
    /// Reads of a Route before the router admits it (None: no router).
    pub route_admitted_after: Option<u32>,
    /// The router rejects the Route with this reason instead (such as
    /// `HostAlreadyClaimed`).
    pub route_rejected: Option<String>,
}

/// The cluster's objects.
#[derive(Debug, Default)]
pub struct State {
    /// Existing namespaces.
    pub namespaces: Vec<String>,
    /// Objects by (resource, namespace, name): resource is `services` or `ingresses`.
    pub objects: BTreeMap<(String, String, String), Value>,
    /// Every request received.
    pub requests: Vec<Recorded>,
    /// Behaviour switches.
    pub faults: Faults,
    rv: u64,
    ingress_reads: u32,
    reads: BTreeMap<String, u32>,
}

/// The running simulated server.
pub struct SimKube {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Shared state, for the tests to seed and inspect.
    pub state: Arc<Mutex<State>>,
    dir: tempfile::TempDir,
}

impl SimKube {
    /// Starts a simulated API server with namespace `msr`.
    pub fn start() -> SimKube {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let state = Arc::new(Mutex::new(State {
            namespaces: vec!["msr".into(), "default".into()],
            faults: Faults {
                next_node_port: 30500,
                ingress_address_after: Some(2),
                ingress_address: "127.0.0.1".into(),
                lb_address_after: Some(2),
                gateway_programmed_after: Some(2),
                controller_address: "127.0.0.1".into(),
                route_reason: Some(String::new()),
                ..Faults::default()
            },
            ..State::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let st = shared.clone();
                std::thread::spawn(move || serve_connection(conn, st));
            }
        });
        SimKube {
            port,
            state,
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    /// A kubeconfig file pointing at this server (context `sim`).
    pub fn kubeconfig(&self) -> std::path::PathBuf {
        let path = self.dir.path().join("kubeconfig");
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: http://127.0.0.1:{}\nusers:\n- name: sim\n  user:\n    token: simulated\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: sim\n    namespace: msr\ncurrent-context: sim\n",
            self.port
        );
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
        path
    }

    /// Seeds an object (as another manager created it, unless `manager` says otherwise).
    pub fn seed(&self, resource: &str, obj: Value, manager: &str) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.rv += 1;
        let mut obj = obj;
        let ns = obj["metadata"]["namespace"]
            .as_str()
            .unwrap_or("msr")
            .to_string();
        let name = obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        obj["metadata"]["managedFields"] = json!([{ "manager": manager, "operation": if manager == "msr-expose" { "Apply" } else { "Update" } }]);
        st.objects.insert((resource.into(), ns, name), obj);
    }

    /// Installs a CRD serving `versions` for `plural.group` (kind `kind`).
    pub fn install_crd(&self, plural: &str, group: &str, kind: &str, versions: &[&str]) {
        let name = format!("{plural}.{group}");
        let versions: Vec<Value> = versions
            .iter()
            .map(|v| json!({ "name": v, "served": true, "storage": false }))
            .collect();
        self.seed(
            "customresourcedefinitions",
            json!({
                "apiVersion": "apiextensions.k8s.io/v1",
                "kind": "CustomResourceDefinition",
                "metadata": { "name": name, "namespace": "" },
                "spec": { "group": group, "names": { "plural": plural, "kind": kind }, "scope": "Namespaced", "versions": versions }
            }),
            "kube-apiserver",
        );
    }

    /// Installs the Gateway API CRDs (Gateway v1, TLSRoute `route_versions`) and a GatewayClass.
    pub fn install_gateway_api(&self, route_versions: &[&str], class: &str) {
        self.install_crd("gateways", "gateway.networking.k8s.io", "Gateway", &["v1"]);
        self.install_crd(
            "gatewayclasses",
            "gateway.networking.k8s.io",
            "GatewayClass",
            &["v1"],
        );
        self.install_crd(
            "tlsroutes",
            "gateway.networking.k8s.io",
            "TLSRoute",
            route_versions,
        );
        self.seed(
            "gatewayclasses",
            json!({
                "apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                "metadata": { "name": class, "namespace": "" },
                "spec": { "controllerName": "example.com/simulated-gateway-controller" }
            }),
            "kube-apiserver",
        );
    }

    /// Makes this an Envoy Gateway cluster as a platform ships one: the
    /// Gateway API CRDs serving TLSRoute `route_versions` (1.4.1's
    /// experimental channel serves v1alpha2 and v1alpha3; 1.5 and later's
    /// standard v1), a GatewayClass `class` of the controller `controller`,
    /// Envoy Gateway's configuration naming that controller and its
    /// Deployment with the image tag `tag` in `namespace` — and a simulated
    /// controller that writes route status only for the versions that
    /// release watches.
    pub fn install_envoy_gateway(
        &self,
        tag: &str,
        route_versions: &[&str],
        class: &str,
        controller: &str,
        namespace: &str,
    ) {
        self.install_gateway_api(route_versions, class);
        self.seed(
            "gatewayclasses",
            json!({
                "apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                "metadata": { "name": class, "namespace": "" },
                "spec": { "controllerName": controller },
                "status": { "conditions": [{ "type": "Accepted", "status": "True", "reason": "Accepted", "message": "" }] }
            }),
            "envoy-gateway",
        );
        self.seed(
            "configmaps",
            json!({
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": { "name": "envoy-gateway-config", "namespace": namespace },
                "data": { "envoy-gateway.yaml": format!(
                    "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\ngateway:\n  controllerName: {controller}\nprovider:\n  type: Kubernetes\n"
                ) }
            }),
            "helm",
        );
        self.seed(
            "deployments",
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": { "name": "envoy-gateway", "namespace": namespace },
                "spec": {
                    "selector": { "matchLabels": { "control-plane": "envoy-gateway" } },
                    "template": {
                        "metadata": { "labels": { "control-plane": "envoy-gateway" } },
                        "spec": { "containers": [{ "name": "envoy-gateway", "image": format!("docker.io/envoyproxy/gateway:{tag}") }] }
                    }
                }
            }),
            "helm",
        );
        // What the real controller watches, as its source says
        // (envoyproxy/gateway internal/provider/kubernetes/controller.go at
        // each tag) — the simulation's own model, not msr-expose's table.
        let minor: u32 = tag
            .trim_start_matches('v')
            .split('.')
            .nth(1)
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        let watched = Some(vec![if minor >= 8 { "v1" } else { "v1alpha3" }.to_string()]);
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.faults.route_watched = watched;
        st.faults.route_controller = Some(controller.to_string());
    }

    /// Makes this an OpenShift cluster: Routes served (aggregated, with
    /// discovery), and a router that admits them after `after` reads.
    pub fn install_openshift(&self, after: u32) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.faults.openshift = true;
        st.faults.route_admitted_after = Some(after);
    }

    /// Installs Istio: its networking CRDs and the ingress gateway's
    /// Service (labelled `istio=ingressgateway` in `istio-system`) with
    /// `address`, or with none when `address` is `None`.
    pub fn install_istio(&self, address: Option<&str>) {
        self.install_crd(
            "gateways",
            "networking.istio.io",
            "Gateway",
            &["v1", "v1beta1"],
        );
        self.install_crd(
            "virtualservices",
            "networking.istio.io",
            "VirtualService",
            &["v1", "v1beta1"],
        );
        let status = match address {
            Some(a) => json!({ "loadBalancer": { "ingress": [{ "ip": a }] } }),
            None => json!({ "loadBalancer": {} }),
        };
        self.seed(
            "services",
            json!({ "apiVersion": "v1", "kind": "Service",
                    "metadata": { "name": "istio-ingressgateway", "namespace": "istio-system", "labels": { "istio": "ingressgateway", "app": "istio-ingressgateway" } },
                    "spec": { "type": "LoadBalancer", "selector": { "istio": "ingressgateway" }, "ports": [{ "name": "https", "port": 443, "targetPort": 8443 }] },
                    "status": status }),
            "istio-operator",
        );
    }

    /// The object stored, if any.
    pub fn get(&self, resource: &str, ns: &str, name: &str) -> Option<Value> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.objects
            .get(&(resource.into(), ns.into(), name.into()))
            .cloned()
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state
            .lock()
            .map(|s| s.requests.clone())
            .unwrap_or_default()
    }
}

fn serve_connection(conn: TcpStream, state: Arc<Mutex<State>>) {
    let Ok(write_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(conn);
    let mut writer = write_half;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map(|n| n == 0).unwrap_or(true) {
            return;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0u8; len];
        if len > 0 && reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, query) = target
            .split_once('?')
            .map(|(p, q)| (p.to_string(), q.to_string()))
            .unwrap_or((target.clone(), String::new()));
        if query
            .split('&')
            .any(|kv| kv == "watch=true" || kv == "watch=1")
        {
            let watched = {
                let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                st.requests.push(Recorded {
                    method: method.clone(),
                    path: path.clone(),
                    query: query.clone(),
                    content_type: String::new(),
                });
                st.faults.forbid_method.as_deref() != Some("WATCH")
            };
            if watched {
                watch(&mut writer, &state, &path, &query);
            }
            return;
        }
        let (code, value, drop, delay) = {
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            let drop = st.faults.drop_method.as_deref() == Some(method.as_str());
            let delay = st
                .faults
                .slow
                .as_ref()
                .filter(|(m, _)| *m == method)
                .map(|(_, d)| *d);
            st.requests.push(Recorded {
                method: method.clone(),
                path: path.clone(),
                query: query.clone(),
                content_type: headers.get("content-type").cloned().unwrap_or_default(),
            });
            let (code, value) = handle(
                &mut st,
                &method,
                &path,
                &query,
                headers
                    .get("content-type")
                    .map(String::as_str)
                    .unwrap_or(""),
                &body,
            );
            (code, value, drop, delay)
        };
        if drop {
            return; // carried out, never answered
        }
        if let Some(d) = delay {
            std::thread::sleep(d);
        }
        let text = value.to_string();
        let reason = match code {
            200 => "OK",
            201 => "Created",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Entity",
            _ => "Bad Request",
        };
        let resp = format!(
            "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if writer.write_all(resp.as_bytes()).is_err() {
            return;
        }
    }
}

/// A watch of one named object (what kube's `await_condition` opens): a
/// chunked stream of `MODIFIED` events, one whenever the object differs from
/// what was last sent, looked at every 100 ms (each look is a read, so the
/// controllers act as they do for GETs), until `timeoutSeconds` or until the
/// client hangs up.
fn watch(writer: &mut TcpStream, state: &Arc<Mutex<State>>, path: &str, query: &str) {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (ns, resource) = match segs.as_slice() {
        [.., "namespaces", ns, resource] => (ns.to_string(), resource.to_string()),
        _ => (String::new(), String::new()),
    };
    let name = name_selector(query).unwrap_or_default();
    let seconds: u64 = query_param(query, "timeoutSeconds")
        .and_then(|t| t.parse().ok())
        .unwrap_or(290);
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    let started = std::time::Instant::now();
    let mut sent: Option<Value> = None;
    while started.elapsed() < std::time::Duration::from_secs(seconds) {
        let now = {
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            observe(&mut st, &resource, &ns, &name);
            st.objects
                .get(&(resource.clone(), ns.clone(), name.clone()))
                .cloned()
        };
        let event = match (&sent, &now) {
            (Some(old), Some(new)) if old != new => {
                Some(json!({ "type": "MODIFIED", "object": new }))
            }
            (None, Some(new)) => Some(json!({ "type": "ADDED", "object": new })),
            (Some(old), None) => Some(json!({ "type": "DELETED", "object": old })),
            _ => None,
        };
        if let Some(e) = event {
            let line = format!("{e}\n");
            let chunk = format!("{:x}\r\n{line}\r\n", line.len());
            if writer.write_all(chunk.as_bytes()).is_err() {
                return;
            }
            sent = now;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = writer.write_all(b"0\r\n\r\n");
}

fn status(code: u16, reason: &str, message: &str) -> (u16, Value) {
    (
        code,
        json!({ "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code, "reason": reason, "message": message }),
    )
}

/// The name of a `fieldSelector=metadata.name=NAME` (URL-encoded or not).
fn name_selector(query: &str) -> Option<String> {
    query_param(query, "fieldSelector")
        .map(|f| f.replace("%3D", "=").replace("%3d", "="))
        .and_then(|f| f.strip_prefix("metadata.name=").map(str::to_string))
}

fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

fn handle(
    st: &mut State,
    method: &str,
    path: &str,
    query: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Value) {
    if st.faults.forbid_method.as_deref() == Some(method) {
        return status(
            403,
            "Forbidden",
            &format!(
                "User \"simulated\" cannot {} resource in namespace (simulated RBAC)",
                method.to_ascii_lowercase()
            ),
        );
    }
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    // /api/v1/…, /apis/networking.k8s.io/v1/…, and custom resources
    // /apis/{group}/{version}/…, served while a CRD serves that version.
    let (rest, api_version) = match segs.as_slice() {
        ["api", "v1", rest @ ..] => (rest, "v1".to_string()),
        ["apis", "networking.k8s.io", "v1", rest @ ..] => {
            (rest, "networking.k8s.io/v1".to_string())
        }
        ["apis", "apps", "v1", rest @ ..] => (rest, "apps/v1".to_string()),
        [
            "apis",
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            name,
        ] => {
            return match st.objects.get(&(
                "customresourcedefinitions".into(),
                String::new(),
                name.to_string(),
            )) {
                Some(v) => (200, v.clone()),
                None => status(
                    404,
                    "NotFound",
                    &format!("customresourcedefinitions.apiextensions.k8s.io \"{name}\" not found"),
                ),
            };
        }
        ["apis", "route.openshift.io", "v1"] if st.faults.openshift => {
            return (
                200,
                json!({ "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "route.openshift.io/v1",
                        "resources": [{ "name": "routes", "singularName": "route", "namespaced": true, "kind": "Route",
                                        "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"] }] }),
            );
        }
        ["apis", "route.openshift.io", "v1", rest @ ..] if st.faults.openshift => {
            (rest, "route.openshift.io/v1".to_string())
        }
        ["apis", group, version, rest @ ..] => {
            let plural = match rest {
                ["namespaces", _, plural, ..] | [plural, ..] => *plural,
                [] => "",
            };
            let crd = format!("{plural}.{group}");
            let served = st
                .objects
                .get(&("customresourcedefinitions".into(), String::new(), crd))
                .is_some_and(|c| {
                    c["spec"]["versions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|v| v["name"] == *version && v["served"] == true)
                });
            if !served {
                return status(
                    404,
                    "NotFound",
                    "the server could not find the requested resource (simulated)",
                );
            }
            // Cluster-scoped kinds (GatewayClass): stored under namespace "".
            if let ["gatewayclasses", name] = rest {
                return match st.objects.get(&(
                    "gatewayclasses".into(),
                    String::new(),
                    name.to_string(),
                )) {
                    Some(v) => (200, v.clone()),
                    None => status(
                        404,
                        "NotFound",
                        &format!("gatewayclasses \"{name}\" not found"),
                    ),
                };
            }
            (rest, format!("{group}/{version}"))
        }
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource (simulated)",
            );
        }
    };
    let api_version = api_version.as_str();
    match (method, rest) {
        ("GET", ["namespaces", ns]) => {
            if st.namespaces.iter().any(|n| n == ns) {
                (
                    200,
                    json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": ns } }),
                )
            } else {
                status(404, "NotFound", &format!("namespaces \"{ns}\" not found"))
            }
        }
        ("GET", [resource]) => {
            // Across namespaces, with an equality labelSelector (k=v[,k=v]).
            let wanted: Vec<(String, String)> = query_param(query, "labelSelector")
                .map(|sel| {
                    sel.replace("%3D", "=")
                        .replace("%2F", "/")
                        .replace("%2C", ",")
                        .split(',')
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let only = name_selector(query);
            let items: Vec<Value> = st
                .objects
                .iter()
                .filter(|((r, _, o), v)| {
                    r == resource
                        && only.as_deref().is_none_or(|x| x == o)
                        && wanted
                            .iter()
                            .all(|(k, val)| v["metadata"]["labels"][k.as_str()] == val.as_str())
                })
                .map(|(_, v)| v.clone())
                .collect();
            (
                200,
                json!({ "apiVersion": api_version, "kind": "List", "metadata": { "resourceVersion": st.rv.to_string() }, "items": items }),
            )
        }
        ("GET", ["namespaces", ns, resource]) => {
            let only = name_selector(query);
            let items: Vec<Value> = st
                .objects
                .iter()
                .filter(|((r, n, o), _)| {
                    r == resource && n == ns && only.as_deref().is_none_or(|x| x == o)
                })
                .map(|(_, v)| v.clone())
                .collect();
            let kind = match *resource {
                "services" => "ServiceList",
                "ingresses" => "IngressList",
                _ => "List",
            };
            (
                200,
                json!({ "apiVersion": api_version, "kind": kind, "metadata": { "resourceVersion": st.rv.to_string() }, "items": items }),
            )
        }
        ("GET", ["namespaces", ns, resource, name]) => {
            observe(st, resource, ns, name);
            match st
                .objects
                .get(&(resource.to_string(), ns.to_string(), name.to_string()))
            {
                Some(v) => (200, v.clone()),
                None => status(404, "NotFound", &format!("{resource} \"{name}\" not found")),
            }
        }
        ("DELETE", ["namespaces", ns, resource, name]) => {
            match st
                .objects
                .remove(&(resource.to_string(), ns.to_string(), name.to_string()))
            {
                Some(_) => (
                    200,
                    json!({ "kind": "Status", "apiVersion": "v1", "status": "Success" }),
                ),
                None => status(404, "NotFound", &format!("{resource} \"{name}\" not found")),
            }
        }
        ("PATCH", ["namespaces", ns, resource, name]) => {
            apply(st, ns, resource, name, query, content_type, body)
        }
        _ => status(405, "MethodNotAllowed", "not simulated"),
    }
}

/// A read of one object (a GET, or a watch's look): the controllers act
/// after a few of them.
fn observe(st: &mut State, resource: &str, ns: &str, name: &str) {
    if resource == "ingresses" {
        st.ingress_reads += 1;
        let reads = st.ingress_reads;
        let after = st.faults.ingress_address_after;
        let address = st.faults.ingress_address.clone();
        if let Some(obj) =
            st.objects
                .get_mut(&(resource.to_string(), ns.to_string(), name.to_string()))
            && after.is_some_and(|a| reads >= a)
        {
            obj["status"] = json!({ "loadBalancer": { "ingress": [{ "ip": address }] } });
        }
    }
    play_controllers(st, resource, ns, name);
}

/// What the controllers write into an object's status once it has been
/// read a few times (a load-balancer provider, a Gateway controller).
fn play_controllers(st: &mut State, resource: &str, ns: &str, name: &str) {
    let key = (resource.to_string(), ns.to_string(), name.to_string());
    let reads = {
        let n = st
            .reads
            .entry(format!("{resource}/{ns}/{name}"))
            .or_insert(0);
        *n += 1;
        *n
    };
    let f = st.faults.clone();
    let Some(obj) = st.objects.get_mut(&key) else {
        return;
    };
    match resource {
        "services"
            if obj["spec"]["type"] == "LoadBalancer"
                && f.lb_address_after.is_some_and(|a| reads >= a) =>
        {
            obj["status"] =
                json!({ "loadBalancer": { "ingress": [{ "ip": f.controller_address }] } });
        }
        "gateways" if f.gateway_programmed_after.is_some_and(|a| reads >= a) => {
            obj["status"] = json!({
                "addresses": [{ "type": "IPAddress", "value": f.controller_address }],
                "conditions": [
                    { "type": "Accepted", "status": "True", "reason": "Accepted", "message": "" },
                    { "type": "Programmed", "status": "True", "reason": "Programmed", "message": "" }
                ]
            });
        }
        "listenersets" if f.gateway_programmed_after.is_some_and(|a| reads >= a) => {
            obj["status"] = json!({
                "conditions": [
                    { "type": "Accepted", "status": "True", "reason": "Accepted", "message": "" },
                    { "type": "Programmed", "status": "True", "reason": "Programmed", "message": "" }
                ]
            });
        }
        "routes" if obj["apiVersion"] == "route.openshift.io/v1" => {
            let host = obj["spec"]["host"].clone();
            let admitted = match (&f.route_rejected, f.route_admitted_after) {
                (Some(reason), _) => {
                    json!({ "type": "Admitted", "status": "False", "reason": reason,
                                             "message": format!("route old-route already exposes {} and is older (simulated)", host.as_str().unwrap_or_default()) })
                }
                (None, Some(after)) if reads >= after => {
                    json!({ "type": "Admitted", "status": "True" })
                }
                _ => return,
            };
            obj["status"] = json!({ "ingress": [{
                "host": host, "routerName": "default", "wildcardPolicy": "None",
                "routerCanonicalHostname": "router-default.apps.sim.example.com",
                "conditions": [admitted]
            }] });
        }
        "tlsroutes" => {
            let Some(reason) = &f.route_reason else {
                return;
            };
            let version = obj["apiVersion"]
                .as_str()
                .and_then(|a| a.rsplit('/').next())
                .unwrap_or_default();
            if f.route_watched
                .as_ref()
                .is_some_and(|w| !w.iter().any(|x| x == version))
            {
                return;
            }
            let parents: Vec<Value> = obj["spec"]["parentRefs"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    let accepted = if reason.is_empty() {
                        json!({ "type": "Accepted", "status": "True", "reason": "Accepted", "message": "" })
                    } else {
                        json!({ "type": "Accepted", "status": "False", "reason": reason, "message": "simulated" })
                    };
                    json!({
                        "parentRef": p,
                        "controllerName": f.route_controller.as_deref().unwrap_or("example.com/simulated-gateway-controller"),
                        "conditions": [accepted, { "type": "ResolvedRefs", "status": "True", "reason": "ResolvedRefs", "message": "" }]
                    })
                })
                .collect();
            obj["status"] = json!({ "parents": parents });
        }
        _ => {}
    }
}

fn apply(
    st: &mut State,
    ns: &str,
    resource: &str,
    name: &str,
    query: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Value) {
    if content_type != "application/apply-patch+yaml" {
        return status(
            415,
            "UnsupportedMediaType",
            &format!("server-side apply needs application/apply-patch+yaml, got {content_type}"),
        );
    }
    let Some(manager) = query_param(query, "fieldManager") else {
        return status(
            400,
            "BadRequest",
            "fieldManager is required for apply patch",
        );
    };
    if !st.namespaces.iter().any(|n| n == ns) {
        return status(404, "NotFound", &format!("namespaces \"{ns}\" not found"));
    }
    if st.faults.conflict {
        return status(
            409,
            "Conflict",
            "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.ports (simulated)",
        );
    }
    let Ok(mut obj) = serde_json::from_slice::<Value>(body) else {
        return status(400, "BadRequest", "the body is not JSON/YAML");
    };
    let key = (resource.to_string(), ns.to_string(), name.to_string());
    let existing = st.objects.get(&key).cloned();
    if resource == "services" && obj["spec"]["type"] == "NodePort" {
        let taken: Vec<i64> = st
            .objects
            .iter()
            .filter(|(k, _)| k.0 == "services" && **k != key)
            .flat_map(|(_, v)| v["spec"]["ports"].as_array().cloned().unwrap_or_default())
            .filter_map(|p| p["nodePort"].as_i64())
            .collect();
        let ports = obj["spec"]["ports"].as_array().cloned().unwrap_or_default();
        let mut out = Vec::new();
        for (i, mut p) in ports.into_iter().enumerate() {
            match p["nodePort"].as_i64() {
                Some(np) if !(30000..=32767).contains(&np) => {
                    return status(
                        422,
                        "Invalid",
                        &format!(
                            "Service \"{name}\" is invalid: spec.ports[{i}].nodePort: Invalid value: {np}: provided port is not in the valid range. The range of valid ports is 30000-32767"
                        ),
                    );
                }
                Some(np) if taken.contains(&np) => {
                    return status(
                        422,
                        "Invalid",
                        &format!(
                            "Service \"{name}\" is invalid: spec.ports[{i}].nodePort: Invalid value: {np}: provided port is already allocated"
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    let kept = existing
                        .as_ref()
                        .and_then(|e| e["spec"]["ports"][i]["nodePort"].as_i64());
                    let np = kept.unwrap_or_else(|| {
                        let mut n = i64::from(st.faults.next_node_port);
                        while taken.contains(&n) {
                            n += 1;
                        }
                        st.faults.next_node_port = u16::try_from(n + 1).unwrap_or(30000);
                        n
                    });
                    p["nodePort"] = json!(np);
                }
            }
            out.push(p);
        }
        obj["spec"]["ports"] = json!(out);
        obj["spec"]["clusterIP"] = existing
            .as_ref()
            .map(|e| e["spec"]["clusterIP"].clone())
            .unwrap_or(json!("10.96.0.42"));
    }
    let same = existing.as_ref().is_some_and(|e| {
        e["spec"] == obj["spec"] && e["metadata"]["annotations"] == obj["metadata"]["annotations"]
    });
    let dry = query_param(query, "dryRun") == Some("All");
    let rv = match (&existing, same) {
        (Some(e), true) => e["metadata"]["resourceVersion"].clone(),
        _ => {
            if !dry {
                st.rv += 1;
            }
            json!(st.rv.to_string())
        }
    };
    obj["metadata"]["resourceVersion"] = rv;
    obj["metadata"]["managedFields"] =
        json!([{ "manager": manager, "operation": "Apply", "fieldsType": "FieldsV1" }]);
    if let Some(e) = &existing {
        obj["status"] = e["status"].clone();
    }
    let code = if existing.is_some() { 200 } else { 201 };
    if !dry {
        st.objects.insert(key, obj.clone());
    }
    (code, obj)
}
