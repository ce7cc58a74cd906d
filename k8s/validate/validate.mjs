// Validates one rendered overlay (the output of `kubectl kustomize`) with no cluster and no network:
//  1. schema: every object against the Kubernetes JSON schemas shipped in the npm package
//     kubernetes-models (generated from the Kubernetes OpenAPI spec): types, required fields, enums;
//  2. strict: no field the Kubernetes API does not know (the schemas allow extra fields, and the API
//     server would drop a misspelt `readinesProbe` silently), using the field lists of the official
//     JavaScript client's generated models;
//  3. BpClub's own rules: references resolve, selectors match, probes, resources, Orleans hosting.
//
//  4. with --production: Orleans TLS from mounted Secrets, NetworkPolicies, no development-only service.
//
//   node validate.mjs --name dev [--external Secret/bpclub-postgres] [--production] rendered.yaml
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const [name] = option("--name");
const external = new Set(option("--external"));
const [programmeEnv] = option("--programme-env");
const production = args.includes("--production");
const file = args.filter((a, i) => !a.startsWith("--")
  && !(args[i - 1]?.startsWith("--") && args[i - 1] !== "--production")).at(-1);

const errors = [];
const fail = (object, message) => errors.push(`${object ? id(object) : name}: ${message}`);
const id = (o) => `${o.kind}/${o.metadata?.name}`;

const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => {
  if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
  return d.toJS();
}).filter(Boolean);

// ---------------------------------------------------------------- 1. schema
for (const object of objects) {
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) { fail(object, `unknown apiVersion/kind ${object.apiVersion} ${object.kind}`); continue; }
  try {
    new Model(normalised(object)).validate();
  } catch (e) {
    for (const err of e.errors ?? [e]) fail(object, `schema: ${err.instancePath ?? ""} ${err.message}`);
  }
}

// kustomize wraps long base64 values over several lines; the API server's decoder skips the line
// breaks, the schema's "byte" format does not.
function normalised(object) {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\s+/g, "")]));
  return { ...object, data };
}

async function modelFor(apiVersion, kind) {
  try {
    return (await import(`kubernetes-models/${apiVersion}`))[kind];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- 2. strict
// validate.sh copies this file next to its node_modules (import.meta.resolve needs Node 20.6+).
const modelsDir = join(dirname(fileURLToPath(import.meta.url)), "node_modules", "@kubernetes", "client-node", "dist", "gen", "models");
const typeMaps = new Map();

async function typeMap(type) {
  if (!typeMaps.has(type)) {
    let map;
    try {
      const module = await import(pathToFileURL(join(modelsDir, `${type}.js`)).href);
      map = module[type]?.getAttributeTypeMap?.();
    } catch { /* a primitive: string, number, IntOrString, ... */ }
    typeMaps.set(type, map);
  }
  return typeMaps.get(type);
}

async function checkFields(object, value, type, path) {
  if (value === null || value === undefined) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (Array.isArray(value)) for (const [i, item] of value.entries()) await checkFields(object, item, m[1], `${path}[${i}]`);
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) await checkFields(object, v, m[1], `${path}.${k}`);
    return;
  }
  const map = await typeMap(type);
  if (!map || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const attribute = map.find((a) => a.baseName === key);
    if (!attribute) fail(object, `unknown field ${path}.${key}`);
    else await checkFields(object, v, attribute.type, `${path}.${key}`);
  }
}

for (const object of objects) {
  const version = object.apiVersion.split("/").at(-1);
  const root = `V${version.slice(1)}${object.kind}`;
  if (!(await typeMap(root))) { fail(object, `no field list for ${root}`); continue; }
  await checkFields(object, object, root, "");
}

// ---------------------------------------------------------------- 3. BpClub's rules
const find = (kind, n) => objects.find((o) => o.kind === kind && o.metadata?.name === n);
const exists = (kind, n) => !!find(kind, n) || external.has(`${kind}/${n}`);
const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
const podSpec = (w) => w.spec.template.spec;
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const seconds = (timeSpan) => {
  const [h, m, s] = timeSpan.split(".").at(-1).split(":").map(Number);
  const days = timeSpan.includes(".") && timeSpan.indexOf(".") < timeSpan.indexOf(":") ? Number(timeSpan.split(".")[0]) : 0;
  return days * 86400 + h * 3600 + m * 60 + s;
};

const namespaces = new Set(objects.filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace));
if (namespaces.size !== 1 || namespaces.has(undefined)) fail(null, `all objects must share one namespace, found ${[...namespaces].join(", ")}`);

for (const w of workloads) {
  const pod = podSpec(w);
  if (w.kind !== "Job" && !matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels))
    fail(w, "selector does not match the pod template's labels");
  if (pod.serviceAccountName && !exists("ServiceAccount", pod.serviceAccountName))
    fail(w, `ServiceAccount ${pod.serviceAccountName} is missing`);
  if (pod.securityContext?.runAsNonRoot !== true) fail(w, "pods must run as non-root");
  for (const c of pod.containers) {
    const where = `container ${c.name}`;
    if (!/[:@]/.test(c.image.split("/").at(-1)) || c.image.endsWith(":latest")) fail(w, `${where}: image ${c.image} needs a pinned tag`);
    for (const r of ["cpu", "memory"]) if (!c.resources?.requests?.[r]) fail(w, `${where}: no ${r} request`);
    if (!c.resources?.limits?.memory) fail(w, `${where}: no memory limit`);
    if (w.kind !== "Job") {
      for (const p of ["livenessProbe", "readinessProbe"]) {
        if (!c[p]) { fail(w, `${where}: no ${p}`); continue; }
        const port = c[p].httpGet?.port;
        if (typeof port === "string" && !c.ports?.some((x) => x.name === port)) fail(w, `${where}: ${p} uses unknown port ${port}`);
      }
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef, m = e.valueFrom?.configMapKeyRef;
      if (s) {
        const secret = find("Secret", s.name);
        if (!secret && !external.has(`Secret/${s.name}`)) fail(w, `${where}: env ${e.name} needs Secret ${s.name}`);
        if (secret && !(s.key in { ...secret.data, ...secret.stringData })) fail(w, `${where}: Secret ${s.name} has no key ${s.key}`);
      }
      if (m && !exists("ConfigMap", m.name)) fail(w, `${where}: env ${e.name} needs ConfigMap ${m.name}`);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef && !exists("ConfigMap", f.configMapRef.name)) fail(w, `${where}: needs ConfigMap ${f.configMapRef.name}`);
      if (f.secretRef && !exists("Secret", f.secretRef.name)) fail(w, `${where}: needs Secret ${f.secretRef.name}`);
    }
  }
  const annotations = w.spec.template.metadata.annotations ?? {};
  if (annotations["prometheus.io/scrape"] === "true") {
    const port = Number(annotations["prometheus.io/port"]);
    if (!pod.containers.some((c) => c.ports?.some((p) => p.containerPort === port))) fail(w, `prometheus.io/port ${port} is not a container port`);
  }
}

for (const s of objects.filter((o) => o.kind === "Service")) {
  if (!workloads.some((w) => matches(s.spec.selector, w.spec.template.metadata.labels))) fail(s, "selects no pods");
  for (const p of s.spec.ports) {
    if (typeof p.targetPort !== "string") continue;
    const target = workloads.find((w) => matches(s.spec.selector, w.spec.template.metadata.labels));
    if (target && !podSpec(target).containers.some((c) => c.ports?.some((x) => x.name === p.targetPort))) fail(s, `targetPort ${p.targetPort} is no container port`);
  }
}
for (const p of objects.filter((o) => o.kind === "PodDisruptionBudget")) {
  if (!workloads.some((w) => w.kind !== "Job" && matches(p.spec.selector.matchLabels, w.spec.template.metadata.labels))) fail(p, "selects no pods");
}
for (const h of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
  const target = find(h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name);
  if (!target) fail(h, `scales ${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}, which is missing`);
  else if (target.spec.replicas !== undefined) fail(target, "sets replicas although an autoscaler owns them (every apply would reset the count)");
  else if (!podSpec(target).containers.every((c) => c.resources?.requests?.cpu)) fail(h, "scales on CPU but the target has no CPU requests");
}
for (const b of objects.filter((o) => o.kind === "RoleBinding")) {
  if (!exists(b.roleRef.kind, b.roleRef.name)) fail(b, `${b.roleRef.kind} ${b.roleRef.name} is missing`);
  for (const s of b.subjects ?? []) {
    if (s.kind === "ServiceAccount" && !s.namespace) fail(b, `subject ${s.name} needs a namespace`);
    if (s.kind === "ServiceAccount" && !exists("ServiceAccount", s.name)) fail(b, `ServiceAccount ${s.name} is missing`);
  }
}

// A NetworkPolicy must select pods that exist, and let traffic in only on ports they have.
const selects = (selector, labels) => matches(selector.matchLabels, labels)
  && (selector.matchExpressions ?? []).every((e) => e.operator !== "In" || e.values.includes(labels?.[e.key]));
for (const n of objects.filter((o) => o.kind === "NetworkPolicy")) {
  const pods = workloads.filter((w) => selects(n.spec.podSelector, w.spec.template.metadata.labels));
  if (!pods.length) fail(n, "selects no pods");
  const containerPorts = new Set(pods.flatMap((w) => podSpec(w).containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort))));
  for (const rule of n.spec.ingress ?? []) {
    for (const p of rule.ports ?? []) if (!containerPorts.has(p.port)) fail(n, `lets in port ${p.port}, which no selected pod has`);
  }
}

// Orleans: the silo pods (labelled orleans/serviceId) need what Orleans' Kubernetes hosting reads.
const silos = workloads.filter((w) => w.spec.template.metadata.labels?.["orleans/serviceId"]);
if (silos.length !== 1) fail(null, `expected one silo workload (pod label orleans/serviceId), found ${silos.length}`);
for (const silo of silos) {
  const labels = silo.spec.template.metadata.labels;
  const pod = podSpec(silo);
  const c = pod.containers[0];
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
  if (!labels["orleans/clusterId"]) fail(silo, "pod label orleans/clusterId is missing");
  for (const n of ["POD_NAME", "POD_NAMESPACE", "POD_IP"]) if (!env[n]?.valueFrom?.fieldRef) fail(silo, `env ${n} must come from the pod (fieldRef)`);
  if (!env.ConnectionStrings__BpClub) fail(silo, "env ConnectionStrings__BpClub is missing");
  const shutdown = env.Silo__ShutdownTimeout?.value ?? "00:00:30";
  if (!(pod.terminationGracePeriodSeconds > seconds(shutdown)))
    fail(silo, `terminationGracePeriodSeconds (${pod.terminationGracePeriodSeconds}) must exceed Silo__ShutdownTimeout (${shutdown})`);
  const binding = objects.find((o) => o.kind === "RoleBinding" && o.subjects?.some((s) => s.kind === "ServiceAccount" && s.name === pod.serviceAccountName));
  const role = binding && find(binding.roleRef.kind, binding.roleRef.name);
  const verbs = new Set((role?.rules ?? []).filter((r) => r.resources?.includes("pods")).flatMap((r) => r.verbs));
  for (const v of ["get", "watch", "list", "delete", "patch"]) if (!verbs.has(v)) fail(silo, `its ServiceAccount may not ${v} pods`);
  if (!objects.some((o) => o.kind === "PodDisruptionBudget" && matches(o.spec.selector.matchLabels, labels))) fail(silo, "no PodDisruptionBudget covers the silos");
  if (!objects.some((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === silo.metadata.name)) fail(silo, "no autoscaler");

  // The front ends are clients of this cluster: same service and cluster id as the silo labels.
  for (const front of workloads.filter((w) => w !== silo && w.kind === "Deployment")) {
    const fenv = Object.fromEntries((podSpec(front).containers[0].env ?? []).map((e) => [e.name, e.value]));
    if (fenv.Cluster__ServiceId !== labels["orleans/serviceId"] || fenv.Cluster__ClusterId !== labels["orleans/clusterId"])
      fail(front, "Cluster__ServiceId/Cluster__ClusterId differ from the silos' orleans/* labels");
    if (!objects.some((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === front.metadata.name)) fail(front, "no autoscaler");
  }
}

// Production (--production): Orleans mutual TLS from mounted Secrets, the NetworkPolicies that keep the silos' ports
// to their callers, and nothing that belongs to development.
if (production) {
  const nameOf = (w) => w.spec.template.metadata.labels?.["app.kubernetes.io/name"];
  const envOf = (w) => Object.fromEntries((podSpec(w).containers[0].env ?? []).map((e) => [e.name, e]));
  const tlsSecret = new Map();
  for (const w of workloads.filter((x) => x.kind === "Deployment")) {
    const pod = podSpec(w), c = pod.containers[0], env = envOf(w);
    for (const key of ["CertificatePath", "KeyPath", "CaPath"]) {
      const path = env[`Orleans__Tls__${key}`]?.value;
      if (!path) { fail(w, `production: env Orleans__Tls__${key} is missing (Orleans mutual TLS)`); continue; }
      const mount = (c.volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`));
      const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
      if (!volume?.secret) { fail(w, `production: Orleans__Tls__${key} (${path}) is not in a mounted Secret`); continue; }
      if (!exists("Secret", volume.secret.secretName)) fail(w, `production: Secret ${volume.secret.secretName} is missing`);
      tlsSecret.set(w.metadata.name, volume.secret.secretName);
    }
    for (const key of ["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"])
      if (env[key] && env[key].value !== "Production") fail(w, `production: ${key} is ${env[key].value}`);
    if (env.BPCLUB_SMS_OUTBOX || env.Sms__Provider?.value === "outbox") fail(w, "production: the development SMS outbox");
  }
  const siloSecrets = new Set(silos.map((w) => tlsSecret.get(w.metadata.name)));
  for (const w of workloads.filter((x) => x.kind === "Deployment" && !silos.includes(x)))
    if (tlsSecret.has(w.metadata.name) && siloSecrets.has(tlsSecret.get(w.metadata.name)))
      fail(w, "production: a front end mounts the silos' TLS Secret (its certificate would open silo ports)");
  for (const o of objects) {
    if (o.kind === "Secret") fail(o, "production: a Secret in the manifests (production Secrets are made out of band)");
    if (o.kind === "StatefulSet" || (o.kind === "Service" && /postgres/.test(o.metadata.name)))
      fail(o, "production: a development service (PostgreSQL is external in production)");
  }
  for (const w of workloads)
    if (!["bpclub-silo", "bpclub-api", "bpclub-schema"].includes(nameOf(w))) fail(w, "production: an unexpected workload");

  // NetworkPolicies: everything denied unless allowed, and the allowed traffic to the silos' ports and PostgreSQL.
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const denyAll = policies.some((n) => Object.keys(n.spec.podSelector ?? {}).length === 0
    && ["Ingress", "Egress"].every((t) => n.spec.policyTypes?.includes(t)) && !n.spec.ingress && !n.spec.egress);
  if (!denyAll) fail(null, "production: no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)");
  const siloPort = (key, fallback) => Number(silos.map((w) => envOf(w)[key]?.value)[0] ?? fallback);
  const onlyFrom = { [siloPort("Cluster__GatewayPort", 30000)]: "bpclub-api", [siloPort("Cluster__SiloPort", 11111)]: "bpclub-silo" };
  const names = (selector) => workloads.filter((w) => selects(selector, w.spec.template.metadata.labels)).map(nameOf);
  for (const n of policies) {
    const selected = names(n.spec.podSelector);
    if (selected.includes("bpclub-silo"))
      for (const rule of n.spec.ingress ?? []) {
        const ports = rule.ports?.map((p) => p.port) ?? Object.keys(onlyFrom).map(Number);
        for (const [port, caller] of Object.entries(onlyFrom)) {
          if (!ports.includes(Number(port))) continue;
          const ok = rule.from?.length && rule.from.every((peer) => peer.podSelector && !peer.namespaceSelector
            && !peer.ipBlock && names(peer.podSelector).every((x) => x === caller) && names(peer.podSelector).length);
          if (!ok) fail(n, `production: lets into the silos' port ${port} more than ${caller} pods`);
        }
      }
    for (const rule of n.spec.egress ?? []) {
      const reachesPostgres = !rule.ports || rule.ports.some((p) => p.port === 5432);
      // An empty podSelector selects every pod of the namespace, also one started later (a debug pod).
      const everyPod = !n.spec.podSelector?.matchLabels && !n.spec.podSelector?.matchExpressions?.length;
      if (reachesPostgres && (everyPod || selected.some((x) => !["bpclub-silo", "bpclub-api", "bpclub-schema"].includes(x))))
        fail(n, "production: lets pods other than silos, front ends and the schema Job reach PostgreSQL (5432)");
      if (reachesPostgres && !selected.length) fail(n, "production: a PostgreSQL egress rule that selects no pods");
    }
  }
  const postgresEgress = (x) => policies.some((n) => names(n.spec.podSelector).includes(x)
    && (n.spec.egress ?? []).some((r) => r.ports?.some((p) => p.port === 5432)));
  for (const x of ["bpclub-silo", "bpclub-api", "bpclub-schema"])
    if (!postgresEgress(x)) fail(null, `production: ${x} pods may not reach PostgreSQL (5432)`);
}

// The programme rules go to `BpClub.Silo.dll check-programme` (validate.sh) as KEY=VALUE lines.
const programme = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("bpclub-programme"));
if (!programme) fail(null, "the bpclub-programme ConfigMap is missing");
else if (programmeEnv) writeFileSync(programmeEnv, Object.entries(programme.data).map(([k, v]) => `${k}=${v}\n`).join(""));

const kinds = objects.map((o) => o.kind).reduce((a, k) => ({ ...a, [k]: (a[k] ?? 0) + 1 }), {});
if (errors.length) {
  for (const e of errors) console.error(`  ${name}: ${e}`);
  console.error(`${name}: ${errors.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.log(`${name}: ${objects.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
