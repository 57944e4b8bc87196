//! What the cluster says about a TLSRoute before one is applied: the
//! versions its CRD serves (discovery), the controller of the GatewayClass
//! the route's Gateway has, and — for Envoy Gateway — that controller's
//! version, from the image of its Deployment, found through the controller
//! name its `envoy-gateway-config` declares (any namespace: MKE and Helm
//! installs put it in different ones), and so the versions it watches
//! (`msr_expose_core::platform::envoy_gateway_watches`).

use crate::cmd::cluster::{Refusal, explain, resource, served_versions};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{DynamicObject, ListParams};
use kube::{Api, Client};
use msr_expose_core::method::gateway::{GROUP, GatewayRoute, Parent};
use msr_expose_core::platform::{ENVOY_GATEWAY_CONTROLLER, envoy_gateway_watches};
use msr_expose_core::{Code, ValidSpec};

/// The name of Envoy Gateway's configuration ConfigMap.
const EG_CONFIG: &str = "envoy-gateway-config";
/// Its key holding the `EnvoyGateway` configuration.
const EG_CONFIG_KEY: &str = "envoy-gateway.yaml";
/// The Deployment of Envoy Gateway's controller, beside its configuration.
const EG_DEPLOYMENT: &str = "envoy-gateway";

/// The controller's version and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controller {
    /// The GatewayClass's `controllerName`.
    pub name: String,
    /// The Envoy Gateway Deployment (`namespace/name`) and its image tag,
    /// when the controller is Envoy Gateway and was found.
    pub envoy_gateway: Option<(String, String)>,
}

/// What the cluster says about TLSRoutes for this route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTruth {
    /// The versions served (`None`: no TLSRoute CRD).
    pub served: Option<Vec<String>>,
    /// The route's controller, where its class is known.
    pub controller: Option<Controller>,
    /// The versions that controller watches, where known.
    pub watched: Option<&'static [&'static str]>,
}

impl RouteTruth {
    /// `served: v1alpha2, v1alpha3; watched by Envoy Gateway v1.7.0
    /// (envoy-gateway-system/envoy-gateway): v1alpha3`.
    pub fn describe(&self) -> String {
        let served = match &self.served {
            Some(v) => format!("served: {}", v.join(", ")),
            None => "served: none (no TLSRoute CRD)".to_string(),
        };
        let who = match &self.controller {
            Some(Controller {
                envoy_gateway: Some((at, tag)),
                ..
            }) => format!("Envoy Gateway {tag} ({at})"),
            Some(c) => c.name.clone(),
            None => "the class's controller".to_string(),
        };
        match self.watched {
            Some(w) => format!("{served}; watched by {who}: {}", w.join(", ")),
            None => format!("{served}; which versions {who} watches is not known"),
        }
    }

    /// The version to write instead of `version` when its controller never
    /// reads `version`: the newest one it watches that the cluster serves.
    pub fn pick(&self, version: &str) -> Option<&'static str> {
        let watched = self.watched?;
        if watched.contains(&version) {
            return None;
        }
        watched
            .iter()
            .copied()
            .find(|w| self.served.iter().flatten().any(|s| s == w))
    }

    /// A refusal when the route's version is one its controller never
    /// reads, saying what to set instead (or what to install).
    pub fn check(&self, version: &str) -> Result<(), Refusal> {
        let Some(watched) = self.watched else {
            return Ok(());
        };
        if watched.contains(&version) {
            return Ok(());
        }
        let both: Vec<&str> = watched
            .iter()
            .copied()
            .filter(|w| self.served.iter().flatten().any(|s| s == w))
            .collect();
        let fix = match both.first() {
            Some(v) => format!(
                "re-run with --gateway-api-version {v} (gatewayApiVersion: {v}), which the cluster serves and the controller watches, or the platform profile of that controller (--platform)"
            ),
            None => format!(
                "install Gateway API CRDs that serve {} (the release the controller is built on), or upgrade the controller to one that watches {version}",
                watched.join(", ")
            ),
        };
        Err(Refusal::new(
            Code::GatewayApiVersionUnwatched,
            format!(
                "a TLSRoute {version} would never be read ({}); nothing was applied",
                self.describe()
            ),
            fix,
        ))
    }
}

/// Reads what the cluster says (see the module's docs). Lookups past the
/// CRD are best effort: what cannot be read stays unknown, never guessed.
pub async fn route_truth(
    client: &Client,
    spec: &ValidSpec,
    g: &GatewayRoute,
) -> Result<RouteTruth, Refusal> {
    let served = served_versions(client, "tlsroutes", GROUP).await?;
    let class = match &g.parent {
        Parent::Create { class } => Some(class.clone()),
        Parent::Existing {
            kind: "Gateway",
            name,
            namespace,
            ..
        } => {
            let ns = namespace.as_deref().unwrap_or(&spec.namespace);
            let gateways = resource(&format!("{GROUP}/v1"), "Gateway", "gateways");
            Api::<DynamicObject>::namespaced_with(client.clone(), ns, &gateways)
                .get_opt(name)
                .await
                .map_err(|e| explain(e, "reading the Gateway", ns))?
                .and_then(|gw| {
                    gw.data["spec"]["gatewayClassName"]
                        .as_str()
                        .map(str::to_string)
                })
        }
        Parent::Existing { .. } => None,
    };
    let mut truth = RouteTruth {
        served,
        controller: None,
        watched: None,
    };
    let Some(class) = class else {
        return Ok(truth);
    };
    let Some(name) = class_controller(client, &class).await else {
        return Ok(truth);
    };
    let envoy_gateway = if name.starts_with("gateway.envoyproxy.io/") {
        envoy_gateway(client, &name).await
    } else {
        None
    };
    truth.watched = envoy_gateway
        .as_ref()
        .and_then(|(_, tag)| envoy_gateway_watches(tag));
    truth.controller = Some(Controller {
        name,
        envoy_gateway,
    });
    Ok(truth)
}

/// The `controllerName` of the GatewayClass `class` (best effort: `None`
/// when it cannot be read).
pub async fn class_controller(client: &Client, class: &str) -> Option<String> {
    let classes = resource(&format!("{GROUP}/v1"), "GatewayClass", "gatewayclasses");
    Api::<DynamicObject>::all_with(client.clone(), &classes)
        .get_opt(class)
        .await
        .ok()
        .flatten()
        .and_then(|c| {
            c.data["spec"]["controllerName"]
                .as_str()
                .map(str::to_string)
        })
}

/// The Envoy Gateway whose configuration names `controller`: its
/// Deployment (`namespace/name`) and image tag.
async fn envoy_gateway(client: &Client, controller: &str) -> Option<(String, String)> {
    let configs: Api<ConfigMap> = Api::all(client.clone());
    let list = configs
        .list(&ListParams::default().fields(&format!("metadata.name={EG_CONFIG}")))
        .await
        .ok()?;
    let ns = list.items.into_iter().find_map(|cm| {
        let text = cm.data.as_ref()?.get(EG_CONFIG_KEY)?.clone();
        let config: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
        let named = config["gateway"]["controllerName"]
            .as_str()
            .unwrap_or(ENVOY_GATEWAY_CONTROLLER);
        (named == controller).then(|| cm.metadata.namespace.unwrap_or_default())
    })?;
    let deployment = Api::<Deployment>::namespaced(client.clone(), &ns)
        .get_opt(EG_DEPLOYMENT)
        .await
        .ok()??;
    let containers = deployment.spec?.template.spec?.containers;
    let image = containers
        .iter()
        .find(|c| c.name == EG_DEPLOYMENT)
        .or(containers.first())?
        .image
        .clone()?;
    // `registry:port/envoyproxy/gateway:v1.7.0[@sha256:…]`: the tag.
    let image = image.split('@').next().unwrap_or(&image);
    let tag = image
        .rsplit_once(':')
        .filter(|(_, t)| !t.contains('/'))?
        .1
        .to_string();
    Some((format!("{ns}/{EG_DEPLOYMENT}"), tag))
}
