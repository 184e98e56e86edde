#!/usr/bin/env python3
"""Generates a synthetic Istio mesh as a directory of multi-document YAML files.

The mesh is built from "apps": each app is one Deployment per version, a Service, a
DestinationRule with a subset per version and a VirtualService with several http routes
(header, query and path matches, rewrites, retries, a weighted split over the subsets). Every
namespace also has a Namespace resource, one or two Gateways with several servers (HTTP with an
HTTPS redirect, SIMPLE and MUTUAL TLS) and a few ServiceEntries for external hosts. istio-system
holds the ingress gateway's Deployment and Service and the TLS Secrets the Gateways name.
References are internally consistent (routes point at existing services, ports and subsets,
VirtualServices bind to existing Gateways whose hosts cover theirs, credentials exist) except for
a small, deliberate fraction of mistakes, so the analyzers have real findings to report.

Output is deterministic for a given (resources, seed): same bytes on every run.

    bench/gen_mesh.py --resources 10000 --out bench/out/mesh-10k [--seed 1] [--egress]
"""

import argparse
import base64
import os
import random
import shutil
import sys

APPS_PER_NAMESPACE = 24   # about 125 resources per namespace
APPS_PER_FILE = 3         # about 15 documents per file
SERVICE_ENTRIES_PER_NS = 3
MISTAKE_RATE = 0.01       # fraction of references that are deliberately wrong

WORDS = ["reviews", "ratings", "details", "productpage", "cart", "checkout", "payments",
         "catalog", "search", "users", "auth", "orders", "shipping", "inventory", "pricing",
         "billing", "notify", "profile", "feed", "media", "gateway", "ledger", "quotes", "tax"]
# One self-signed EC certificate (valid until 2126) and its key, shared by every TLS Secret: the
# analyzers parse them, so they must be real.
CERT_PEM = """-----BEGIN CERTIFICATE-----
MIIBhjCCAS2gAwIBAgIUVChkgoq6q1Z/dyBHYjA9jIoMyNMwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNKi5leGFtcGxlLmNvbTAgFw0yNjExMjkxMjIwMzhaGA8yMTI2
MTEwNTEyMjAzOFowGDEWMBQGA1UEAwwNKi5leGFtcGxlLmNvbTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABHV1YTOcda1J9XhPx6+4xH1fHW7lu1n3SYH1S8GE5RZA
pkfulQLpi/E2oIVrck1ER6vOULKVwyGYI9OLBCW3ocCjUzBRMB0GA1UdDgQWBBQd
coJdVeFUhKKoa9IVeGwT5n0KNzAfBgNVHSMEGDAWgBQdcoJdVeFUhKKoa9IVeGwT
5n0KNzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIGQIqSDfsAux
rJfpmRQIHs6RhoTdQNOUQQWQ4CX/PqE+AiAL3/oXguom4Oo1+cSGbDbL3sVtiwYj
SRz5w5uWAtY2tw==
-----END CERTIFICATE-----
"""
KEY_PEM = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYeNBgpOy+KgMIIFn
j+S/+JOrEIErEOvYm14I4M/Qf6ihRANCAAR1dWEznHWtSfV4T8evuMR9Xx1u5btZ
90mB9UvBhOUWQKZH7pUC6YvxNqCFa3JNREerzlCylcMhmCPTiwQlt6HA
-----END PRIVATE KEY-----
"""
EXTERNAL = ["api.stripe.com", "api.github.com", "www.googleapis.com", "s3.amazonaws.com",
            "login.microsoftonline.com", "hooks.slack.com", "api.twilio.com", "sentry.io",
            "registry.npmjs.org", "pypi.org", "api.sendgrid.com", "storage.googleapis.com"]


class Emitter:
    """Collects YAML documents and writes them into files of a few documents each."""

    def __init__(self, out):
        self.out = out
        self.files = 0
        self.bytes = 0
        self.resources = 0

    def write(self, rel, docs):
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = "".join("---\n" + d for d in docs)
        data = text.encode()
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)
        self.resources += len(docs)


def namespace_doc(ns, team):
    return f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    istio-injection: enabled
    team: {team}
"""


def gateway_doc(rng, ns, domain, idx):
    """A Gateway for *.domain; returns (name, credential names, YAML)."""
    name = f"{ns}-gw-{idx}"
    hosts = [f'"*.{domain}"'] + [f"{w}.{domain}" for w in rng.sample(WORDS, 2)]
    host_lines = "".join(f"    - {h}\n" for h in hosts)
    creds = [f"{ns}-cert-{idx}", f"{ns}-admin-cert-{idx}"]
    return name, creds, f"""apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/part-of: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http-{idx}
      protocol: HTTP
    hosts:
{host_lines}    tls:
      httpsRedirect: true
  - port:
      number: 443
      name: https-{idx}
      protocol: HTTPS
    hosts:
{host_lines}    tls:
      mode: SIMPLE
      credentialName: {creds[0]}
  - port:
      number: 8443
      name: https-mtls-{idx}
      protocol: HTTPS
    hosts:
    - "admin.{domain}"
    tls:
      mode: MUTUAL
      credentialName: {creds[1]}
      subjectAltNames:
      - spiffe://cluster.local/ns/{ns}/sa/admin
"""


def secret_doc(name, with_ca):
    b64 = lambda text: base64.b64encode(text.encode()).decode()
    ca = f"  ca.crt: {b64(CERT_PEM)}\n" if with_ca else ""
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: {b64(CERT_PEM)}
  tls.key: {b64(KEY_PEM)}
{ca}"""


def ingress_docs():
    """istio-system: the namespace, and the ingress gateway workload and Service every Gateway
    selects (istio: ingressgateway), exposing the Gateways' ports 80, 443 and 8443."""
    return [f"""apiVersion: v1
kind: Namespace
metadata:
  name: istio-system
""", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: istio-ingressgateway
  namespace: istio-system
  labels:
    app: istio-ingressgateway
    istio: ingressgateway
spec:
  replicas: 3
  selector:
    matchLabels:
      app: istio-ingressgateway
      istio: ingressgateway
  template:
    metadata:
      labels:
        app: istio-ingressgateway
        istio: ingressgateway
        sidecar.istio.io/inject: "false"
    spec:
      serviceAccountName: istio-ingressgateway
      containers:
      - name: istio-proxy
        image: docker.io/istio/proxyv2:1.24.0
        ports:
        - containerPort: 8080
        - containerPort: 8443
""", f"""apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
  labels:
    app: istio-ingressgateway
    istio: ingressgateway
spec:
  type: LoadBalancer
  selector:
    app: istio-ingressgateway
    istio: ingressgateway
  ports:
  - name: http2
    port: 80
    targetPort: 8080
  - name: https
    port: 443
    targetPort: 8443
  - name: https-mtls
    port: 8443
    targetPort: 8443
"""]


def service_entry_doc(rng, ns, i):
    host = EXTERNAL[(i + rng.randrange(len(EXTERNAL))) % len(EXTERNAL)]
    name = f"ext-{host.replace('.', '-')}-{i}"
    return host, f"""apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata:
  name: {name}
  namespace: {ns}
spec:
  hosts:
  - {host}
  exportTo:
  - "."
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - number: 443
    name: tls
    protocol: TLS
  - number: 80
    name: http
    protocol: HTTP
"""


def deployment_doc(rng, ns, app, version, port):
    replicas = rng.choice([1, 2, 3, 5])
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}-{version}
  namespace: {ns}
  labels:
    app: {app}
    version: {version}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {app}
      version: {version}
  template:
    metadata:
      labels:
        app: {app}
        version: {version}
        sidecar.istio.io/inject: "true"
      annotations:
        prometheus.io/port: "15020"
    spec:
      serviceAccountName: {app}
      containers:
      - name: {app}
        image: registry.example.com/{ns}/{app}:{version}.{rng.randrange(100)}
        ports:
        - containerPort: {port}
          name: http
        env:
        - name: LOG_LEVEL
          value: info
        - name: UPSTREAM_TIMEOUT_MS
          value: "{rng.choice([250, 500, 1000, 2000])}"
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: "1"
            memory: 512Mi
"""


def service_doc(ns, app, port):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: {port}
    targetPort: {port}
    protocol: TCP
  - name: grpc-admin
    port: 9090
    targetPort: 9090
"""


def destination_rule_doc(rng, ns, app, versions):
    subsets = "".join(f"""  - name: {v}
    labels:
      version: {v}
""" for v in versions)
    tls = rng.choice(["ISTIO_MUTUAL", "ISTIO_MUTUAL", "ISTIO_MUTUAL", "DISABLE"])
    return f"""apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: {app}
  namespace: {ns}
spec:
  host: {app}.{ns}.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: {rng.choice(["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM"])}
    connectionPool:
      tcp:
        maxConnections: {rng.choice([100, 200, 1000])}
      http:
        http1MaxPendingRequests: 64
    tls:
      mode: {tls}
  subsets:
{subsets}"""


class Mistakes:
    def __init__(self, rng):
        self.rng = rng
        self.count = 0

    def roll(self):
        if self.rng.random() < MISTAKE_RATE:
            self.count += 1
            return True
        return False


def virtual_service_doc(rng, mistakes, ns, app, port, versions, gateways, other_apps):
    gw_name, domain = rng.choice(gateways)
    host = f"{app}.{domain}"  # covered by the gateway's *.domain server hosts
    gw_ref = gw_name
    if mistakes.roll():
        gw_ref = gw_name + "-missing"  # a gateway that does not exist
    svc = f"{app}.{ns}.svc.cluster.local"

    def dest(h, subset, p=None, indent="      "):
        s = f"{indent}destination:\n{indent}  host: {h}\n"
        if subset:
            s += f"{indent}  subset: {subset}\n"
        if p:
            s += f"{indent}  port:\n{indent}    number: {p}\n"
        return s

    def subset_of(v):
        return v + "-typo" if mistakes.roll() else v

    def host_of(h):
        return h.replace(".svc", "-gone.svc", 1) if mistakes.roll() else h

    routes = []
    # 1. header-matched canary to the newest version
    routes.append(f"""  - name: canary
    match:
    - headers:
        x-canary:
          exact: "true"
      uri:
        prefix: /api/
    - queryParams:
        canary:
          exact: "1"
    route:
    - {dest(host_of(svc), subset_of(versions[-1]), port, "      ").lstrip()}""")
    # 2. a few path routes, some to sibling apps in the same namespace
    for i in range(rng.randrange(1, 4)):
        target = rng.choice(sorted(other_apps)) if other_apps and rng.random() < 0.4 else app
        thost = f"{target}.{ns}.svc.cluster.local" if target != app else svc
        tsub = "v1" if target != app else subset_of(versions[0])
        tport = other_apps[target] if target != app else port
        routes.append(f"""  - name: path-{i}
    match:
    - uri:
        prefix: /{rng.choice(WORDS)}/{i}
      method:
        exact: {rng.choice(["GET", "POST", "PUT"])}
    rewrite:
      uri: /
    timeout: {rng.choice([1, 2, 5, 10])}s
    retries:
      attempts: 3
      perTryTimeout: 1s
      retryOn: 5xx,reset
    route:
    - {dest(host_of(thost), tsub, tport, "      ").lstrip()}""")
    # 3. the default weighted split over all versions
    weights = [100 // len(versions)] * len(versions)
    weights[0] += 100 - sum(weights)
    if mistakes.roll():
        weights[0] += 5  # weights that do not sum to 100
    split = "".join(f"    - {dest(host_of(svc), subset_of(v), port, '      ').lstrip()}      weight: {w}\n"
                    for v, w in zip(versions, weights))
    routes.append(f"""  - name: default
    headers:
      request:
        set:
          x-routed-by: {ns}
    route:
{split}""")
    http = "".join(r if r.endswith("\n") else r + "\n" for r in routes)
    return f"""apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: {app}
  namespace: {ns}
spec:
  hosts:
  - {app}
  - {host}
  gateways:
  - {gw_ref}
  - mesh
  http:
{http}"""


class Budget:
    """Counts resources down from `total`; take() keeps only what still fits."""

    def __init__(self, total):
        self.left = total

    def take(self, docs):
        docs = docs[: self.left]
        self.left -= len(docs)
        return docs


def generate(total, out, seed):
    rng = random.Random(seed)
    mistakes = Mistakes(rng)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    em = Emitter(out)
    budget = Budget(total)

    def write(rel, docs):
        if docs:
            em.write(rel, docs)

    write(os.path.join("istio-system", "00-ingress.yaml"), budget.take(ingress_docs()))
    secrets = []  # counted when their Gateway is, written to istio-system in batches
    n = 0
    while budget.left > 0:
        ns = f"team-{n:04d}"
        infra = budget.take([namespace_doc(ns, f"t{n % 37}")])
        gateways = []
        for g in range(1 + (n % 2)):
            domain = f"{ns}.example.{'com' if g == 0 else 'net'}"  # no two Gateways share a host
            name, creds, doc = gateway_doc(rng, ns, domain, g)
            gateways.append((name, domain))
            # The Secrets first, so a Gateway is never written without its credentials.
            secrets += budget.take([secret_doc(creds[0], False), secret_doc(creds[1], True)])
            infra += budget.take([doc])
        for i in range(SERVICE_ENTRIES_PER_NS):
            infra += budget.take([service_entry_doc(rng, ns, i)[1]])
        if len(secrets) >= 16:
            write(os.path.join("istio-system", f"secrets-{n:04d}.yaml"), secrets)
            secrets = []
        write(os.path.join(ns, "00-infra.yaml"), infra)

        apps = [f"{w}-{n % 97}" for w in WORDS[:APPS_PER_NAMESPACE]]
        ports = {app: rng.choice([8080, 9080, 3000, 5000]) for app in apps}
        for f0 in range(0, len(apps), APPS_PER_FILE):
            docs = []
            for app in apps[f0:f0 + APPS_PER_FILE]:
                port = ports[app]
                versions = ["v1", "v2", "v3"][: rng.choice([1, 2, 2, 3])]
                for v in versions:
                    docs.append(deployment_doc(rng, ns, app, v, port))
                docs.append(service_doc(ns, app, port))
                docs.append(destination_rule_doc(rng, ns, app, versions))
                others = {a: p for a, p in ports.items() if a != app}
                docs.append(virtual_service_doc(rng, mistakes, ns, app, port, versions, gateways, others))
            write(os.path.join(ns, f"apps-{f0 // APPS_PER_FILE:02d}.yaml"), budget.take(docs))
        n += 1
    write(os.path.join("istio-system", f"secrets-{n:04d}.yaml"), secrets)
    return em, n, mistakes.count


def egress_docs():
    """An egress gateway in use: istio-system/egress-fixed with a PASSTHROUGH server for
    api.stripe.com, a ServiceEntry for it in team-0000 and a two-leg VirtualService (mesh -> the
    gateway's Service, the gateway -> api.stripe.com), so the egress rules build their routing
    model and trace every namespace's sidecars (--egress)."""
    return ["""apiVersion: apps/v1
kind: Deployment
metadata:
  name: egress-fixed
  namespace: istio-system
spec:
  selector:
    matchLabels:
      istio: egress-fixed
  template:
    metadata:
      labels:
        istio: egress-fixed
    spec:
      nodeSelector:
        node-pool: egress
      containers:
      - name: istio-proxy
        image: docker.io/istio/proxyv2:1.24.0
""", """apiVersion: v1
kind: Service
metadata:
  name: egress-fixed
  namespace: istio-system
spec:
  selector:
    istio: egress-fixed
  ports:
  - name: tls
    port: 443
    targetPort: 8443
""", """apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: egress-fixed
  namespace: istio-system
spec:
  selector:
    istio: egress-fixed
  servers:
  - port:
      number: 443
      name: tls
      protocol: TLS
    hosts:
    - api.stripe.com
    tls:
      mode: PASSTHROUGH
""", """apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: stripe-egress
  namespace: team-0000
spec:
  hosts:
  - api.stripe.com
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - number: 443
    name: tls
    protocol: TLS
""", """apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: stripe-egress
  namespace: team-0000
spec:
  hosts:
  - api.stripe.com
  gateways:
  - mesh
  - istio-system/egress-fixed
  tls:
  - match:
    - gateways: [mesh]
      port: 443
      sniHosts: [api.stripe.com]
    route:
    - destination:
        host: egress-fixed.istio-system.svc.cluster.local
        port:
          number: 443
  - match:
    - gateways: [istio-system/egress-fixed]
      port: 443
      sniHosts: [api.stripe.com]
    route:
    - destination:
        host: api.stripe.com
        port:
          number: 443
"""]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--resources", "-n", type=int, required=True, help="number of resources (documents)")
    ap.add_argument("--out", "-o", required=True, help="output directory (replaced)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--egress", action="store_true",
                    help="add an egress gateway in use (5 more resources, in egress/egress.yaml)")
    args = ap.parse_args()
    em, namespaces, mistakes = generate(args.resources, args.out, args.seed)
    if args.egress:
        em.write(os.path.join("egress", "egress.yaml"), egress_docs())
    print(f"{args.out}: {em.resources} resources, {em.files} files, {namespaces} namespaces, "
          f"{em.bytes} bytes, {mistakes} deliberate mistakes", file=sys.stderr)


if __name__ == "__main__":
    main()
