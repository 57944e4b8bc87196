//! Every finding code msr-expose can emit, with what it means and how to fix
//! it, as one table that declares the [`Code`] enum: a finding's code is a
//! variant, so a typo does not compile. `docs/findings.md`, `msr-expose
//! codes` and the JS API's `finding-codes.json` are rendered from the same
//! table, and a test checks that every code is emitted somewhere.

/// Declares [`Code`] and its table from one list: `Variant = "code": "meaning", "fix";`.
macro_rules! codes {
    ($($variant:ident = $code:literal: $meaning:literal, $fix:literal;)*) => {
        /// Every finding code: a typo is a compile error, and the docs,
        /// `msr-expose codes` and the JS API's list come from the same table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order the docs list them.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable dotted string (`spec.parse`), as serialized.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What the code means.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }

            /// How to fix what it reports.
            pub const fn fix(self) -> &'static str {
                match self {
                    $(Code::$variant => $fix,)*
                }
            }
        }

        impl std::str::FromStr for Code {
            type Err = String;

            /// The code of a dotted string (`spec.parse`).
            fn from_str(s: &str) -> Result<Code, String> {
                Code::ALL
                    .iter()
                    .copied()
                    .find(|c| c.as_str() == s)
                    .ok_or_else(|| format!("`{s}` is not a finding code"))
            }
        }

        impl<'de> serde::Deserialize<'de> for Code {
            /// From its dotted string, as serialized (the page reads the
            /// findings the JS API's fleet module returns).
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        /// `(code, meaning, fix)`, grouped by prefix, in the order the docs list them.
        pub const CODES: &[(&str, &str, &str)] = &[$(($code, $meaning, $fix)),*];
    };
}

codes! {
    // Spec.
    SpecEmpty = "spec.empty":
        "The spec file or text is empty.",
        "Write at least the method and its FQDN.";
    SpecParse = "spec.parse":
        "The spec is not valid YAML/JSON for the Spec type, or has an unknown field (typos never pass).",
        "Use the camelCase field names listed in the README.";
    SpecMethodMissing = "spec.method_missing":
        "No method is named and neither nodeFqdn nor externalFqdn is set.",
        "Set `method: nodeport` with nodeFqdn, or `method: ingress` with externalFqdn.";
    SpecOneInterface = "spec.one_interface":
        "Fields of both methods are set and no method is named.",
        "Expose through exactly one interface: set `method` and remove the other method's fields.";
    SpecForeignField = "spec.foreign_field":
        "A field of the other method is set.",
        "Remove it: the cache is exposed through exactly one interface.";
    SpecPermalink = "spec.permalink":
        "The link's #spec= fragment cannot be read: a broken %-escape, not UTF-8, far too long, or a control character in a value.",
        "Copy the link again from the page (Copy link), or start from an empty page.";
    SpecCaFileInvalid = "spec.ca_file_invalid":
        "The caFile name (or the --ca path) is empty, names a directory, is not UTF-8, or has control characters, which no shell text carries safely.",
        "Name the CA file the curl steps should trust, such as msr.cert.pem, or rename the file.";
    SpecCaFileFromCa = "spec.ca_file_from_ca":
        "The steps trust the CA file given with --ca, the one checked, not the spec's caFile.",
        "Nothing to do; set --ca-file to name another file in the steps.";
    // Form input (the web page).
    FormNotANumber = "form.not_a_number":
        "A port field holds something that is not a number.",
        "Type a number such as 443, or leave nodePort empty.";
    FormSelectorSyntax = "form.selector_syntax":
        "The selector is not key=value[,key=value].",
        "Write it as app=msr-cache.";
    // Kubernetes names and ports.
    K8sNameEmpty = "k8s.name_empty":
        "A Kubernetes name is empty.",
        "Use the default (msr, msr-cache) or a valid name.";
    K8sNameTooLong = "k8s.name_too_long":
        "A Kubernetes name is longer than its rule allows (63 for labels, 253 for subdomains).",
        "Shorten it.";
    K8sNameInvalidChar = "k8s.name_invalid_char":
        "A Kubernetes name has a character outside lowercase letters, digits and '-' ('.' for subdomains).",
        "Use the suggested name in the hint.";
    K8sNameBadStart = "k8s.name_bad_start":
        "A Kubernetes name starts with a character its rule forbids (Service names must start with a letter).",
        "Start it with a letter.";
    K8sNameBadEnd = "k8s.name_bad_end":
        "A Kubernetes name ends with '-' or '.'.",
        "End it with a letter or digit.";
    SelectorEmpty = "selector.empty":
        "The selector is empty, so the Service would select no pods.",
        "Select the cache pods, such as app: msr-cache.";
    SelectorKeyInvalid = "selector.key_invalid":
        "A selector key breaks Kubernetes' label key syntax.",
        "Use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'.";
    SelectorValueInvalid = "selector.value_invalid":
        "A selector value breaks Kubernetes' label value syntax.",
        "Use up to 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric.";
    PortOutOfRange = "port.out_of_range":
        "port or targetPort is not 1-65535.",
        "Use 443, the port the MSR cache serves on.";
    // FQDNs.
    FqdnEmpty = "fqdn.empty":
        "The host name is empty.",
        "Type the host name clients will use.";
    FqdnUrl = "fqdn.url":
        "A URL or host:port was typed where only a host name belongs.",
        "Type only the host part; the hint shows it.";
    FqdnWhitespace = "fqdn.whitespace":
        "The host name contains white space.",
        "Remove the spaces.";
    FqdnWildcard = "fqdn.wildcard":
        "The host name is a wildcard.",
        "Type the exact name clients use; a wildcard certificate may still cover it.";
    FqdnLabelEmpty = "fqdn.label_empty":
        "Two dots in a row, a leading dot, or more than one trailing dot.",
        "Remove the extra dot.";
    FqdnLabelTooLong = "fqdn.label_too_long":
        "A label is longer than 63 characters.",
        "Shorten the label.";
    FqdnInvalidChar = "fqdn.invalid_char":
        "A label has a character other than letters, digits and hyphens (underscores included).",
        "Use only a-z, 0-9 and '-'.";
    FqdnLabelHyphen = "fqdn.label_hyphen":
        "A label starts or ends with a hyphen.",
        "Remove the hyphen.";
    FqdnLabelReservedHyphens = "fqdn.label_reserved_hyphens":
        "A label has hyphens in its third and fourth places (`ab--cd`), or is an xn-- label whose Unicode form does: RFC 5891 reserves such labels for encodings, and UTS #46 (CheckHyphens) refuses them.",
        "Rename the label, or type the internationalised name it stands for.";
    FqdnTooLong = "fqdn.too_long":
        "The name is longer than 253 characters.",
        "Use a shorter name.";
    FqdnNumericTld = "fqdn.numeric_tld":
        "The top-level label is all digits (an invalid IPv4 address, or no real TLD).",
        "End with a real TLD, or type a valid IP address.";
    FqdnIdnInvalid = "fqdn.idn_invalid":
        "An internationalised name does not convert to an A-label, or an xn-- label does not decode.",
        "Check the spelling, or type the xn-- form.";
    FqdnUnicodeNewer = "fqdn.unicode_newer":
        "A character assigned after Unicode 16.0, the version msr-expose holds names to (UTS #46's conformance file): some engines it runs on (browsers, Node) do not know it yet, so every build refuses it rather than one build accepting it.",
        "Spell the name without it, or wait for a release that holds names to a newer Unicode.";
    FqdnIdn = "fqdn.idn":
        "An internationalised name was converted to its A-label; both forms are shown.",
        "The certificate's SAN must be the A-label form.";
    FqdnMixedScript = "fqdn.mixed_script":
        "A label mixes scripts that share no writing system (UTS #39 mixed-script detection), such as a Cyrillic а among Latin letters: the shape of a look-alike name.",
        "Type the name again rather than pasting it; a real mixed-script name needs its exact A-label in DNS and the certificate.";
    FqdnNormalised = "fqdn.normalised":
        "The name was lowercased or its trailing dot dropped.",
        "Nothing to do.";
    FqdnSingleLabel = "fqdn.single_label":
        "The name has a single label.",
        "Use the fully qualified name.";
    FqdnIpAddress = "fqdn.ip_address":
        "A node IP address was given instead of a name.",
        "The certificate then needs that IP as an IP SAN.";
    FqdnIpNotAllowed = "fqdn.ip_not_allowed":
        "An IP address was given as the Ingress host, which Kubernetes forbids.",
        "Use a DNS name that resolves to the ingress controller.";
    // NodePort.
    NodeportNodeFqdnMissing = "nodeport.node_fqdn_missing":
        "NodePort without nodeFqdn.",
        "Set the worker node FQDN that is a SAN of the certificate.";
    NodeportOutOfRange = "nodeport.out_of_range":
        "nodePort is outside the cluster's node port range.",
        "Pick a port in the range, or leave nodePort out.";
    NodeportRangeInvalid = "nodeport.range_invalid":
        "nodePortRange is not lo-hi.",
        "Write the API server's --service-node-port-range, such as 30000-32767.";
    NodeportDynamicBand = "nodeport.dynamic_band":
        "The pinned nodePort lies above the static band that random allocation avoids.",
        "Prefer a port in the static band (30000-30085 by default), which rarely collides.";
    // Ingress.
    IngressExternalFqdnMissing = "ingress.external_fqdn_missing":
        "Ingress without externalFqdn.",
        "Set the external FQDN clients use, a SAN of the certificate.";
    IngressPathNotAbsolute = "ingress.path_not_absolute":
        "The path does not start with '/'.",
        "Use /.";
    IngressPathInvalid = "ingress.path_invalid":
        "The path has characters ingress-nginx rejects in a Prefix path.",
        "Use /.";
    IngressPathIgnored = "ingress.path_ignored":
        "A path other than / is ignored under ssl-passthrough (the vendor page's /cache sends TLS to the default backend).",
        "Use /.";
    IngressClassNotNginx = "ingress.class_not_nginx":
        "The ingress class may not be ingress-nginx, whose ssl-passthrough annotation is emitted.",
        "Make sure the controller passes TLS through untouched.";
    IngressSslPassthroughFlag = "ingress.ssl_passthrough_flag":
        "Passthrough needs the controller flag --enable-ssl-passthrough.",
        "Check the controller's arguments.";
    IngressSecureBackendsRemoved = "ingress.secure_backends_removed":
        "The vendor page's secure-backends annotation was removed in ingress-nginx 0.21 and is not emitted.",
        "Nothing to do; set legacySecureBackends only for older controllers.";
    IngressSecureBackendsLegacy = "ingress.secure_backends_legacy":
        "The legacy secure-backends annotation is emitted on request.",
        "Leave it out unless the controller predates 0.21.";
    IngressNginxRetired = "ingress.nginx_retired":
        "The ingress-nginx project was retired in March 2026.",
        "Plan a move to a maintained controller that supports TLS passthrough.";
    // LoadBalancer.
    LoadbalancerHostMissing = "loadbalancer.host_missing":
        "A LoadBalancer exposure has no externalFqdn (name or address clients use).",
        "Set externalFqdn to the FQDN of a DNS record to the address, or to the fixed address (IP SAN needed).";
    LoadbalancerAddressInvalid = "loadbalancer.address_invalid":
        "loadBalancerIp is not an IP address.",
        "Give one address from the provider's pool, or leave it out.";
    LoadbalancerAddressMismatch = "loadbalancer.address_mismatch":
        "externalFqdn is an address other than loadBalancerIp.",
        "Use the same address in both, or a DNS name in externalFqdn.";
    LoadbalancerLegacyIpWithoutAddress = "loadbalancer.legacy_ip_without_address":
        "legacyLoadBalancerIp is set without loadBalancerIp.",
        "Set loadBalancerIp, or drop legacyLoadBalancerIp.";
    LoadbalancerIpFieldDeprecated = "loadbalancer.ip_field_deprecated":
        "spec.loadBalancerIP is deprecated (Kubernetes 1.24) and ignored by some providers.",
        "Keep it only for a provider that reads nothing else; MetalLB reads its annotation.";
    LoadbalancerClassInvalid = "loadbalancer.class_invalid":
        "loadBalancerClass is not a valid qualified name.",
        "Use the class your provider documents, such as example.com/internal.";
    LoadbalancerTrafficPolicyInvalid = "loadbalancer.traffic_policy_invalid":
        "externalTrafficPolicy is neither Cluster nor Local.",
        "Use Cluster (default) or Local.";
    LoadbalancerLocalTraffic = "loadbalancer.local_traffic":
        "externalTrafficPolicy Local: nodes without a cache pod drop traffic; a health-check node port is allocated.",
        "Keep Local only to preserve client addresses with a provider that health-checks nodes.";
    LoadbalancerProviderNeeded = "loadbalancer.provider_needed":
        "A LoadBalancer Service gets an address only from a provider (cloud, MetalLB, kube-vip).",
        "Without one EXTERNAL-IP stays <pending>: install or configure a provider.";
    // Gateway API.
    GatewayExternalFqdnMissing = "gateway.external_fqdn_missing":
        "A Gateway API exposure has no externalFqdn.",
        "Set externalFqdn to the name clients use, a SAN of the certificate.";
    GatewayIpHostname = "gateway.ip_hostname":
        "externalFqdn is an IP address; TLSRoute hostnames must be DNS names.",
        "Use an FQDN with a DNS record to the Gateway, or the LoadBalancer method for an address.";
    GatewayCreateOrAttach = "gateway.create_or_attach":
        "Both gatewayClassName (create) and gatewayName (attach) are set.",
        "Choose one.";
    GatewayParentMissing = "gateway.parent_missing":
        "Neither gatewayClassName nor gatewayName is set: the TLSRoute has no parent.",
        "Set gatewayClassName to create a Gateway, or gatewayName to attach to one.";
    GatewayFieldNeedsExisting = "gateway.field_needs_existing":
        "gatewayNamespace or listenerName is set while msr-expose creates the Gateway.",
        "Drop it, or attach with gatewayName instead.";
    GatewayControllerNeeded = "gateway.controller_needed":
        "The created Gateway needs a controller for its class that supports TLSRoute and passthrough.",
        "kubectl get gatewayclass; apply checks the class and waits for Programmed.";
    GatewayListenerRequirements = "gateway.listener_requirements":
        "The existing Gateway's listener must be TLS, tls.mode Passthrough, with a hostname covering the FQDN.",
        "Check kubectl get gateway -o yaml; apply explains the route's status reasons.";
    GatewayAllowedRoutes = "gateway.allowed_routes":
        "The existing Gateway is in another namespace: its listener must admit routes from the cache's.",
        "Set allowedRoutes.namespaces.from to All or a Selector; Same is the default.";
    GatewayApiVersionAlpha = "gateway.api_version_alpha":
        "The TLSRoute is written as v1alpha2, for CRDs that serve only that version.",
        "Prefer the standard channel of Gateway API 1.5+ (v1); never install experimental CRDs over standard ones.";
    GatewayApiVersionUnwatched = "gateway.api_version_unwatched":
        "The TLSRoute version asked for is one the platform's controller never watches: the route would be accepted by the API server (or refused) and never read.",
        "Leave gatewayApiVersion to the platform's profile, or upgrade the controller to one that watches that version.";
    GatewayApiVersionInvalid = "gateway.api_version_invalid":
        "gatewayApiVersion is neither v1 nor v1alpha2.",
        "Use v1 or v1alpha2.";
    GatewayClassMissing = "gateway.class_missing":
        "msr-expose apply: the GatewayClass to create the Gateway with does not exist in the cluster.",
        "kubectl get gatewayclass lists the classes your controllers provide; name one with --gateway-class, or attach to an existing Gateway.";
    GatewayParentNotFound = "gateway.parent_not_found":
        "msr-expose apply: the Gateway or ListenerSet the TLSRoute attaches to does not exist.",
        "Name an existing one (kubectl get gateway -A), or create a Gateway with --gateway-class.";
    GatewayRouteNotAccepted = "gateway.route_not_accepted":
        "msr-expose apply: the Gateway's controller set Accepted or ResolvedRefs to False on the TLSRoute; the message names its reason.",
        "Fix what the controller names (listener, hostname, ReferenceGrant, backend), then re-run.";
    // Clients.
    NodesContainerdVersionInvalid = "nodes.containerd_version_invalid":
        "containerdVersion is not a containerd version msr-expose writes trust files for (1.5 to 2.x).",
        "Give MAJOR.MINOR as containerd --version shows it, or leave it empty to get both formats.";
    NodesK0sVersionInvalid = "nodes.k0s_version_invalid":
        "k0sVersion is not a k0s version, or it contradicts containerdVersion.",
        "Give 1.MINOR as k0s version shows it (up to 1.35: containerd 1.7; 1.36 and later: containerd 2.3).";
    ClientsPortUnknown = "clients.port_unknown":
        "The clients' trust files name the endpoint's host:port, but the node port is allocated by the cluster and not known yet.",
        "Pin nodePort (or give --node-port with the port apply reported).";
    // Traefik.
    TraefikExternalFqdnMissing = "traefik.external_fqdn_missing":
        "A Traefik exposure has no externalFqdn.",
        "Set externalFqdn to the name clients use, a SAN of the certificate.";
    TraefikEntryPointsEmpty = "traefik.entry_points_empty":
        "entryPoints is an empty list.",
        "Leave it out for websecure, or name the entry point on 443.";
    TraefikEntryPointInvalid = "traefik.entry_point_invalid":
        "An entry point name is empty or has characters Traefik names do not.",
        "Use an entry point name such as websecure.";
    TraefikEntryPointPort = "traefik.entry_point_port":
        "The route listens on the entry points named; clients reach the cache on their port.",
        "Check the port with kubectl get service -A -l app.kubernetes.io/name=traefik.";
    // Fleet files.
    FleetParse = "fleet.parse":
        "The fleet file is not YAML/JSON of `defaults` and `caches`, or a cache has a field that is neither a spec's nor the cache's own.",
        "Write `defaults` (spec fields every cache shares) and `caches` (each with its name and its own fields).";
    FleetNoCaches = "fleet.no_caches":
        "The fleet file lists no caches.",
        "List them under `caches`.";
    FleetCacheNameInvalid = "fleet.cache_name_invalid":
        "A cache has no name, or one that cannot name a directory (an RFC 1123 label).",
        "Name it with lowercase letters, digits and '-', such as eu1.";
    FleetCacheNameDuplicate = "fleet.cache_name_duplicate":
        "Two caches of the fleet have one name.",
        "Give every cache its own name.";
    FleetNameShortened = "fleet.name_shortened":
        "A cache's Argo CD Application and Flux Kustomization name was cut to 63 characters with a short hash: their controllers copy it into a label.",
        "Nothing to do; a shorter cache name keeps msr-cache-<name>.";
    FleetCertMissing = "fleet.cert_missing":
        "`fleet check`: a cache names no certificate file, so it is not checked.",
        "Set the cache's `cert` (its certificate with the intermediates, relative to the fleet file).";
    FleetFileUnreadable = "fleet.file_unreadable":
        "A cache's cert, key or ca file (relative to the fleet file) cannot be read.",
        "Name the file relative to the fleet file, and make it readable.";
    FleetCacheNameReserved = "fleet.cache_name_reserved":
        "A cache is named `gitops`, the directory `fleet generate` writes the GitOps layout into.",
        "Name the cache otherwise, such as gitops-site.";
    FleetGitopsInvalid = "fleet.gitops_invalid":
        "A field of the fleet's `gitops` section (repoURL, revision, path, fluxSource) is not one Argo CD or Flux can use.",
        "Give repoURL as the repository's clone URL, path relative to its root without `..`, and names without spaces.";
    FleetContextUnusable = "fleet.context_unusable":
        "`fleet up`: no Kubernetes client could be made for a cache's kubeconfig context (the context is missing, its credentials expired, its plugin failed); nothing was applied for it.",
        "Check the cache's `context` against `kubectl config get-contexts` in the kubeconfig given (--kubeconfig, KUBECONFIG or ~/.kube/config).";
    FleetMsrUnreachable = "fleet.msr_unreachable":
        "`fleet up --register`: MSR could not be asked (no connection, TLS refused, no HTTP answer) for a cache whose endpoint was verified.",
        "Check --msr-url and --msr-ca; run fleet up again: apply and registration converge.";
    FleetEndpointShared = "fleet.endpoint_shared":
        "Two caches of the fleet have one endpoint (host and port): clients cannot tell them apart, and MSR, which knows a cache by its host, registers only the first.",
        "Give each cache its own host name (or node port).";
    FleetGitopsRepoMissing = "fleet.gitops_repo_missing":
        "`fleet generate`: the fleet's `gitops.repoURL` is not set, so no Argo CD ApplicationSet is written (Flux's Kustomizations name their GitRepository, not a URL).",
        "Set gitops.repoURL to the clone URL of the repository the output is committed to.";
    // Platform presets.
    PlatformFilled = "platform.filled":
        "The platform preset filled in a value its vendor documents (such as MKE 3.9's GatewayClass envoy-gatewayingress).",
        "Nothing to do; set the field yourself to use another value.";
    PlatformUndocumented = "platform.undocumented":
        "The platform's documentation does not give a value the preset would need (MKE 4k names no GatewayClass for workloads); msr-expose does not guess it.",
        "Read it from the cluster (kubectl get gatewayclass) and set it, such as --gateway-class.";
    PlatformEnableGateway = "platform.enable_gateway":
        "How the platform runs its Gateway API controller (Envoy Gateway) and what TLS passthrough needs there.",
        "On MKE 3.9 enable it in [cluster_config.gateway_controller]; on MKE 4k it always runs.";
    PlatformIngressNginx = "platform.ingress_nginx":
        "ingress-nginx on MKE: past its end of life on MKE 3 (support ends 2026-12-31), present on MKE 4k only on upgraded clusters.",
        "Move to the gateway method with the same platform.";
    PlatformMethodForeign = "platform.method_foreign":
        "The platform does not install what the method needs (MKE ships neither Istio nor an OpenShift router).",
        "Use the gateway method on MKE, or install that controller yourself.";
    // OpenShift.
    OpenshiftExternalFqdnMissing = "openshift.external_fqdn_missing":
        "An OpenShift Route has no externalFqdn, its host.",
        "Set externalFqdn to the name clients use, a SAN of the certificate.";
    OpenshiftHostOneLabel = "openshift.host_one_label":
        "The Route host has a single label; the OpenShift router admits hosts of two labels or more.",
        "Use the full name clients resolve, such as cache.apps.example.com.";
    OpenshiftInsecurePolicyInvalid = "openshift.insecure_policy_invalid":
        "insecureEdgeTerminationPolicy is neither None nor Redirect, the only values a passthrough Route takes.",
        "Use None (plain HTTP refused) or Redirect; the values are case-sensitive.";
    OpenshiftInsecureRedirect = "openshift.insecure_redirect":
        "Plain http:// requests to the Route's host are redirected to https://.",
        "Nothing to do; None refuses plain HTTP outright.";
    OpenshiftRouterPassthrough = "openshift.router_passthrough":
        "The OpenShift router passes TLS through by SNI; the host must resolve to the router.",
        "A name under the cluster's apps domain does already; another needs a CNAME to the router's canonical host name.";
    RouteNotAdmitted = "openshift.route_not_admitted":
        "The OpenShift router rejected the Route (apply's wait), such as another Route already claiming the host.",
        "Fix what the router's reason names; the oldest Route of a host wins.";
    // Istio.
    IstioExternalFqdnMissing = "istio.external_fqdn_missing":
        "An Istio exposure has no externalFqdn.",
        "Set externalFqdn to the name clients use, a SAN of the certificate.";
    IstioCreateOrAttach = "istio.create_or_attach":
        "Both istioGateway (attach to an existing Gateway) and istioSelector (create one) are set.",
        "Keep one of them.";
    IstioGatewayInvalid = "istio.gateway_invalid":
        "istioGateway is not namespace/name (or name) of valid Kubernetes names.",
        "Write it as istio-system/shared-gateway.";
    IstioSelectorEmpty = "istio.selector_empty":
        "istioSelector is empty; the Gateway would bind to no ingress gateway pods.",
        "Name the ingress gateway pods' labels, or leave it out for istio=ingressgateway.";
    IstioExistingGateway = "istio.existing_gateway":
        "The VirtualService attaches to an existing Istio Gateway, which msr-expose does not check.",
        "That Gateway needs a server on 443, protocol TLS, tls.mode PASSTHROUGH, with this host.";
    IstioIngressGateway = "istio.ingress_gateway":
        "The created Gateway is served by the ingress gateway pods with the selector's labels.",
        "Their Service must publish 443; set istioSelector for a gateway installed with other labels.";
    // Input material.
    PemEmpty = "pem.empty":
        "The certificate (or CA, or key) input is empty.",
        "Paste the PEM text or choose the file.";
    PemNoPem = "pem.no_pem":
        "No PEM block and no DER certificate was found.",
        "Give the certificate file itself.";
    PemTruncated = "pem.truncated":
        "A PEM block has no END line.",
        "Copy the whole block.";
    PemBadBase64 = "pem.bad_base64":
        "A PEM body has a character that is not base64, or does not decode; the line is named.",
        "Copy the block again without changes.";
    PemBadDer = "pem.bad_der":
        "A CERTIFICATE block does not parse as X.509.",
        "Copy it again from the original file.";
    PemBase64Wrapped = "pem.base64_wrapped":
        "The input was base64 of PEM (as kubectl get secret -o yaml shows it) and was decoded.",
        "Nothing to do.";
    PemSshPublicKey = "pem.ssh_public_key":
        "An SSH public key was given as the certificate (the vendor page's ssh-keygen step).",
        "Create a key and CSR with openssl and have the CA sign it.";
    PemSshPrivateKey = "pem.ssh_private_key":
        "An OpenSSH private key was given as the certificate.",
        "Give the X.509 certificate; see pem.ssh_public_key.";
    PemCsr = "pem.csr":
        "A certificate request was given as the certificate.",
        "Have the CA sign it and use the certificate it returns.";
    PemPrivateKeyAsCert = "pem.private_key_as_cert":
        "A private key was given where the certificate belongs.",
        "Give the certificate; keep the key in cache.key.pem.";
    PemPublicKeyAsCert = "pem.public_key_as_cert":
        "A bare public key was given as the certificate.",
        "Get a certificate issued for it.";
    PemPkcs7 = "pem.pkcs7":
        "A PKCS#7 bundle was given.",
        "Extract the certificates with openssl pkcs7 -print_certs.";
    PemPkcs12 = "pem.pkcs12":
        "A PKCS#12 (.p12/.pfx) archive was given.",
        "Extract the certificates with openssl pkcs12 -nokeys.";
    PemUnknownBlock = "pem.unknown_block":
        "A PEM block of another kind is ignored.",
        "Keep only CERTIFICATE blocks in the file.";
    PemNoCertificate = "pem.no_certificate":
        "The input holds no certificate.",
        "Give the file with the CERTIFICATE blocks.";
    // Private key.
    KeyNotAKey = "key.not_a_key":
        "The key input holds no private key.",
        "Give cache.key.pem.";
    KeySeveral = "key.several":
        "The key input holds more than one private key.",
        "Keep only the cache's key.";
    KeyEncrypted = "key.encrypted":
        "The private key is encrypted; a Kubernetes TLS secret needs it unencrypted.",
        "Decrypt it with openssl pkey.";
    KeyOpenssh = "key.openssh":
        "The key is an OpenSSH private key, not a TLS key.",
        "Create a TLS key with openssl.";
    KeyUnsupported = "key.unsupported":
        "The key type is not supported.",
        "Use RSA (2048+), ECDSA P-256/P-384 or Ed25519.";
    KeyUnreadable = "key.unreadable":
        "The key block cannot be read as RSA, ECDSA or Ed25519.",
        "Check it with openssl pkey -noout.";
    KeyMismatch = "key.mismatch":
        "The private key does not belong to the leaf certificate.",
        "Give the key the certificate was requested with.";
    // Certificate.
    CertNameMismatch = "cert.name_mismatch":
        "The exposed host is not covered by any SAN of the leaf.",
        "Expose the interface the certificate was made for, or reissue with the right SAN.";
    CertCnOnly = "cert.cn_only":
        "The host is only in the subject CN, which Go-based clients (docker, containerd) ignore.",
        "Reissue with a subjectAltName.";
    CertOtherNames = "cert.other_names":
        "The leaf names other hosts too.",
        "Expose the cache through only the one interface chosen.";
    CertSanBadWildcard = "cert.san_bad_wildcard":
        "A SAN has a wildcard clients ignore (not the whole left-most label, or *.tld).",
        "Use a plain name or *.example.com.";
    CertNotYetValid = "cert.not_yet_valid":
        "A certificate on the chain is not valid yet.",
        "Wait, or check the issuing machine's clock.";
    CertExpired = "cert.expired":
        "A certificate on the chain has expired.",
        "Renew it and update the cache's secret.";
    CertExpiringSoon = "cert.expiring_soon":
        "A certificate on the chain expires within 30 days.",
        "Renew it now.";
    CertLeafIsCa = "cert.leaf_is_ca":
        "The leaf has basicConstraints CA:TRUE: a warning where Go clients and curl accept it and msr-expose can judge the path as Go does (anchored, every link checked, nothing constraining names, usages or length beyond Go's count), an error otherwise.",
        "Issue a server certificate with CA:FALSE.";
    CertEkuNoServerAuth = "cert.eku_no_server_auth":
        "The leaf's extendedKeyUsage lacks serverAuth.",
        "Reissue with extendedKeyUsage = serverAuth.";
    CertKeyUsage = "cert.key_usage":
        "The leaf's keyUsage lacks digitalSignature: an error when it has neither keyEncipherment nor keyAgreement either (OpenSSL refuses it), a warning otherwise (Go and curl accept; TLS 1.3 and ECDHE sign with the key).",
        "Reissue with keyUsage = digitalSignature (, keyEncipherment).";
    CertRsaWeak = "cert.rsa_weak":
        "An RSA key on the chain is below 2048 bits.",
        "Use 2048+ bit RSA or ECDSA.";
    CertWeakSignature = "cert.weak_signature":
        "A certificate on the chain is signed with MD5 or SHA-1.",
        "Reissue with SHA-256 or stronger.";
    CertUnusualCurve = "cert.unusual_curve":
        "An EC key on a curve TLS clients do not support (not P-256/P-384/P-521): Go's handshake fails, so it is an error.",
        "Use ECDSA P-256 or P-384.";
    CertUnusualKey = "cert.unusual_key":
        "A key algorithm TLS clients cannot use (DSA, …): Go's handshake fails, so it is an error.",
        "Use RSA or ECDSA P-256.";
    CertValidity = "cert.validity":
        "The path validator rejects a certificate's validity period (outside it at the instant checked, or notBefore after notAfter) and no other finding says so.",
        "Reissue the certificate with a correct validity period.";
    CertEkuEmpty = "cert.eku_empty":
        "A certificate on the path has an empty extendedKeyUsage extension, which RFC 5280 forbids (SIZE (1..MAX)).",
        "Reissue with extendedKeyUsage = serverAuth, or without the extension.";
    CertNameInvalid = "cert.name_invalid":
        "The path validator does not accept the name match although a SAN seems to cover the host (a malformed DNS name or wildcard in the SAN).",
        "Reissue with subjectAltName naming the host exactly.";
    CertSelfSigned = "cert.self_signed":
        "The leaf is self-signed and no CA anchors it.",
        "Distribute it as the CA, or have MSR's CA issue it.";
    CertAwaiting = "cert.awaiting":
        "A key or CA was given before the certificate: it was read, and is checked once the certificate is given.",
        "Give the cache's certificate.";
    // Chain.
    ChainLeafNotFirst = "chain.leaf_not_first":
        "The bundle does not start with the cache's own certificate.",
        "Put the leaf first, then its intermediates.";
    ChainOrder = "chain.order":
        "An issuer is in the bundle but not right after the certificate it issued.",
        "Order the bundle leaf, issuer, issuer's issuer.";
    ChainDuplicate = "chain.duplicate":
        "A certificate appears twice in the bundle.",
        "Remove the repeat.";
    ChainUnrelated = "chain.unrelated":
        "A bundle certificate is not on the leaf's chain.",
        "Remove it.";
    ChainRootIncluded = "chain.root_included":
        "The bundle includes the root.",
        "Optional: clients already trust the root.";
    ChainBadSignature = "chain.bad_signature":
        "A signature on the chain does not verify with its issuer's key.",
        "Get the real issuer, or reissue.";
    ChainSignatureUnsupported = "chain.signature_unsupported":
        "A signature of a kind registry clients do not verify (SHA-1/MD5 aside, which are cert.weak_signature): Ed448, DSA, secp256k1, RSA-PSS with parameters other than RFC 4055's, RSA keys over 8192 bits. An error: such a chain is never accepted.",
        "Reissue with ECDSA P-256/P-384/P-521, RSA 2048-8192 or Ed25519, and SHA-256 or stronger.";
    ChainUnknownIssuer = "chain.unknown_issuer":
        "The path validator finds no path from the leaf through the bundle to the given CA, and no other finding says why.",
        "Give the CA that issued the certificate, and append the intermediates to cache.cert.pem.";
    ChainEkuNotAllowed = "chain.eku_not_allowed":
        "An issuer's extendedKeyUsage does not include serverAuth, so it may not issue TLS server certificates (Go and rustls reject the chain).",
        "Issue from a CA whose EKU includes serverAuth, or has none.";
    ChainNameConstraints = "chain.name_constraints":
        "A CA on the path has name constraints that do not permit the leaf's names or exclude them (including a `.example.com` constraint, which Go reads as subdomains only, against a leaf naming example.com).",
        "Get the certificate from a CA whose constraints allow the names.";
    ChainNameConstraintsInvalid = "chain.name_constraints_invalid":
        "A CA on the path has a nameConstraints extension clients reject: malformed, empty, or (critical) constraining name forms Go cannot evaluate (otherName, directoryName, …).",
        "Reissue the CA, or use another.";
    ChainPathLen = "chain.path_len":
        "The chain is longer than a CA's pathLenConstraint allows.",
        "Issue from a CA closer to the root, or reissue the CA with a larger pathlen.";
    ChainCriticalExtension = "chain.critical_extension":
        "A certificate on the path, the trust anchor included, has a critical extension clients do not understand, so they must reject it.",
        "Reissue without it, or with it marked non-critical.";
    ChainMalformed = "chain.malformed":
        "A certificate on the path is not well-formed for the path validator (DER, extensions, version, serial, mismatched signature algorithm fields).",
        "Reissue it with a standard tool (openssl, cfssl, cert-manager).";
    ChainTooComplex = "chain.too_complex":
        "The chain is too long or offers too many alternative paths for a client to build: more than six intermediates is a warning where msr-expose can judge the path as Go does (Go and curl build any depth, rustls stops at six), an error otherwise.",
        "Send only the leaf and the intermediates of one path.";
    ChainDistrusted = "chain.distrusted":
        "A certificate on the path is on the validator's distrust list.",
        "Get the certificate from another CA.";
    ChainRejected = "chain.rejected":
        "The path validator rejects the chain for a reason msr-expose has no finding for (the message carries the validator's reason).",
        "Check with `openssl verify -x509_strict`, and report the case.";
    ChainAnchorNotRoot = "chain.anchor_not_root":
        "The CA given is an intermediate with no root above it in the file: clients that trust exactly this file accept the chain, as Go does.",
        "Give every client this same CA file, or give the root and append the intermediate to cache.cert.pem.";
    ChainIssuerNotCa = "chain.issuer_not_ca":
        "A certificate issues another but is not a CA (CA:TRUE and keyCertSign).",
        "Issue from a real CA.";
    ChainIntermediateMissing = "chain.intermediate_missing":
        "A warning: the issuing intermediate is in the CA input but not in the bundle, so the cache does not send it; clients given this CA file as it is accept, a client that trusts only the root fails.",
        "Append the intermediate to cache.cert.pem.";
    ChainIssuerMissing = "chain.issuer_missing":
        "The chain's last issuer is in neither the bundle nor the CA.",
        "Append a missing intermediate, or give the right CA.";
    ChainUntrusted = "chain.untrusted":
        "The chain ends in a root that is not the given CA.",
        "Give the CA that issued the certificate.";
    ChainAnchorUnknown = "chain.anchor_unknown":
        "No CA was given, so the chain is not verified to its root.",
        "Give the CA (msr.cert.pem).";
    // Endpoint (msr-expose verify and up).
    VerifyResolve = "verify.resolve":
        "The endpoint's name does not resolve (or the lookup timed out).",
        "Create the DNS record, or test with --resolve HOST:PORT:ADDRESS.";
    VerifyConnect = "verify.connect":
        "Nothing accepts TCP connections at the address.",
        "Check the node port or the controller's address, and firewalls.";
    VerifyTimeout = "verify.timeout":
        "A stage got no answer within --timeout (something accepts but does not answer).",
        "Check that the port belongs to the cache; raise --timeout for slow links.";
    VerifyTrust = "verify.trust":
        "The CA given with --ca holds no usable certificate.",
        "Give the CA certificate in PEM or DER.";
    VerifyTlsHandshake = "verify.tls_handshake":
        "The TLS handshake failed before a certificate was presented.",
        "The port may not serve TLS, or TLS is not passed through.";
    VerifyCertificate = "verify.certificate":
        "The presented certificate fails the checks for the expected name; the certificate findings follow.",
        "Present the certificate made for this interface.";
    VerifyHttp = "verify.http":
        "The endpoint speaks TLS but not HTTP as a registry does.",
        "Check that the port belongs to the cache.";
    VerifyStatus = "verify.status":
        "GET /v2/_catalog answered something other than 200 (such as 404 from a default backend).",
        "Check the Ingress path (/) and ssl-passthrough.";
    VerifyUnauthorized = "verify.unauthorized":
        "The cache answered 401 with a WWW-Authenticate challenge: reachable, but asks for credentials.",
        "Check the cache's auth settings.";
    VerifyNotCatalog = "verify.not_catalog":
        "The body is not a registry catalog (a JSON object with a repositories array).",
        "Check the Service selector and the Ingress backend.";
    VerifyNodePortUnknown = "verify.node_port_unknown":
        "The spec leaves the node port to the cluster, so the endpoint to verify is not known.",
        "Give the allocated port with --node-port, or the endpoint with --url.";
    // Cluster (msr-expose apply and up).
    ClusterForbidden = "cluster.forbidden":
        "The API server refused a request (403): RBAC does not allow it.",
        "Ask for a Role in the namespace allowing get, list, patch (and delete for --replace), or use another --context.";
    ClusterNotFound = "cluster.not_found":
        "The API server answered 404 for something msr-expose needs.",
        "Check the namespace and --context.";
    ClusterConflict = "cluster.conflict":
        "Server-side apply conflicts (409): another field manager owns fields msr-expose sets.",
        "Settle it with that owner, or re-apply with kubectl apply --server-side --force-conflicts --field-manager msr-expose.";
    ClusterRejected = "cluster.rejected":
        "The API server rejected the object (422), e.g. a node port that is taken.",
        "Fix the field the message names.";
    ClusterApiError = "cluster.api_error":
        "The API server answered with another error status.",
        "Check the API server's health and your --context.";
    ClusterUnreachable = "cluster.unreachable":
        "The API server could not be reached (connection, TLS or credentials).",
        "Check the kubeconfig's server address, the network, and that the cluster is up.";
    ClusterNamespaceMissing = "cluster.namespace_missing":
        "The namespace of the cache does not exist.",
        "Deploy the MSR cache first, or set the namespace it runs in (--namespace).";
    ClusterCrdMissing = "cluster.crd_missing":
        "The cluster has no such kind: the Gateway API or Traefik CRDs are not installed.",
        "Install the CRDs the message names (Gateway API standard channel, or Traefik's).";
    ClusterVersionNotServed = "cluster.version_not_served":
        "The kind is installed but not served at the version msr-expose writes.",
        "Follow the message: pick the served version (--gateway-api-version) or upgrade the CRDs.";
    ApplyOtherExposure = "apply.other_exposure":
        "The cache is already exposed through another interface in the namespace.",
        "Remove that exposure, or re-run with --replace if msr-expose manages it.";
    ApplyReplaceForeign = "apply.replace_foreign":
        "--replace would remove an exposure msr-expose does not manage.",
        "Remove it yourself if it should go.";
    ApplyTimeout = "apply.timeout":
        "The exposure got no address (node port, load-balancer address, controller status) within --timeout.",
        "Follow the message's check for the method, or raise --timeout.";
    ApplyInterrupted = "apply.interrupted":
        "Ctrl-C while waiting for the exposure's address: what was applied stays (exit status 130).",
        "Run msr-expose apply again to wait for it (it converges), or remove what was applied with kubectl.";
    // MSR registration (msr-expose up --register).
    MsrUnauthorized = "msr.unauthorized":
        "MSR refused the credentials (401).",
        "Check --msr-user and the password or access token file.";
    MsrForbidden = "msr.forbidden":
        "MSR refused the registration (403): it needs an administrator.",
        "Use an MSR administrator's account or token.";
    MsrNameTaken = "msr.name_taken":
        "MSR already has a content cache of this name at another host.",
        "Choose another --name, or remove that registration in MSR if the cache moved.";
    MsrApiError = "msr.api_error":
        "MSR answered the content-cache API with another status.",
        "Check --msr-url and MSR's health.";
    // Output directory (msr-expose generate --out-dir).
    OutdirNotOurs = "outdir.not_ours":
        "A file in --out-dir holds content msr-expose did not write there (edited since, or someone else's); nothing was written.",
        "Move the file or choose another --out-dir to keep it, or pass --force to replace it.";
    // Internal.
    OutputInternal = "output.internal":
        "msr-expose could not serialize its own output (a bug).",
        "Report it with the spec.";
}

/// The table as JSON, `[{"code", "meaning", "fix"}]`, for the JS API's
/// `finding-codes.json` (kept out of the wasm module to save its size).
pub fn json() -> String {
    let list: Vec<serde_json::Value> = CODES
        .iter()
        .map(|(code, meaning, fix)| serde_json::json!({ "code": code, "meaning": meaning, "fix": fix }))
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

/// The table as Markdown, for `docs/findings.md`.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Finding codes\n\nEvery finding msr-expose reports carries one of these stable codes. \
         Messages may be reworded; codes do not change. This file is generated from \
         `core/src/codes.rs` and checked by the tests.\n",
    );
    let mut group = "";
    for (code, meaning, fix) in CODES {
        let prefix = code.split('.').next().unwrap_or_default();
        if prefix != group {
            group = prefix;
            s.push_str(&format!(
                "\n## `{prefix}.*`\n\n| code | meaning | fix |\n|---|---|---|\n"
            ));
        }
        s.push_str(&format!("| `{code}` | {meaning} | {fix} |\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Every `.rs` file of the crates that emit findings, without its test
    /// module (a code used only by tests is not emitted).
    fn emitting_sources() -> String {
        fn walk(dir: &Path, out: &mut String) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("codes.rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    out.push_str(text.split("#[cfg(test)]").next().unwrap_or_default());
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut all = String::new();
        for dir in ["core/src", "cli/src", "web/src", "web-api/src"] {
            walk(&root.join(dir), &mut all);
        }
        all
    }

    #[test]
    fn every_code_is_emitted_somewhere() {
        let sources = emitting_sources();
        let unused: Vec<_> = Code::ALL
            .iter()
            .filter(|c| {
                let token = format!("Code::{c:?}");
                !sources.match_indices(&token).any(|(i, _)| {
                    !sources[i + token.len()..].starts_with(|ch: char| ch.is_alphanumeric())
                })
            })
            .map(|c| c.as_str())
            .collect();
        assert!(unused.is_empty(), "codes nothing emits: {unused:?}");
    }

    #[test]
    fn strings_are_unique_and_well_formed() {
        let strings: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(strings.len(), Code::ALL.len(), "a code string twice");
        for c in Code::ALL {
            let (prefix, rest) = c.as_str().split_once('.').expect("prefix.name");
            assert!(
                !prefix.is_empty()
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{c:?}"
            );
            assert!(!c.meaning().is_empty() && !c.fix().is_empty(), "{c:?}");
        }
        assert_eq!(CODES.len(), Code::ALL.len());
    }

    #[test]
    fn serialized_as_the_string() {
        assert_eq!(
            serde_json::to_string(&Code::SpecParse).expect("json"),
            "\"spec.parse\""
        );
        assert!(Code::FqdnUrl == "fqdn.url");
    }

    #[test]
    fn docs_are_generated_from_the_table() {
        let docs = include_str!("../../docs/findings.md");
        assert!(
            docs == markdown(),
            "docs/findings.md is stale: run `cargo run -p msr-expose -- codes > docs/findings.md`"
        );
    }
}
