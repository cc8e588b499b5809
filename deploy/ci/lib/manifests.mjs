// Validates rendered manifests: each object against the Kubernetes schemas
// (kubernetes-models), for unknown fields (strict-fields.mjs), and against the
// rules the chart promises (issue 6): non-root, read-only root file system,
// no privilege escalation, gRPC probes, resources, real flags, the downward
// API for workers, nvidia.com/gpu on GPU pools, references that resolve.

import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { declaredType, unknownFields } from "./strict-fields.mjs";
import { argValue, checkArgs } from "./flags.mjs";

/** The module of a kind's model: kubernetes-models/<group>/<version>/<Kind>. */
function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

const models = new Map();
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    const spec = modelPath(apiVersion, kind);
    let url;
    try {
      url = import.meta.resolve(spec);
    } catch {
      models.set(key, null);
      return null;
    }
    const resolved = fileURLToPath(url);
    if (!fs.existsSync(resolved)) {
      models.set(key, null);
      return null;
    }
    const module = await import(url);
    const dts = resolved.replace(/\.js$/, ".d.ts");
    models.set(key, { Model: module[kind], dts });
  }
  return models.get(key);
}

/** Schema and unknown-field problems of one object. */
export async function schemaProblems(index, obj) {
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const model = await modelFor(obj.apiVersion, obj.kind);
  if (!model || !model.Model) return [`${where}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const problems = [];
  try {
    new model.Model(obj).validate();
  } catch (e) {
    const details = (e.errors || []).map((x) => `${x.instancePath} ${x.message || x.keyword}`);
    problems.push(`${where}: schema: ${e.message}${details.length ? " [" + details.join("; ") + "]" : ""}`);
  }
  const root = declaredType(index, model.dts, `I${obj.kind}`);
  if (!root) problems.push(`${where}: no type declaration to check fields against`);
  else for (const p of unknownFields(index, root, obj)) problems.push(`${where}: unknown field ${p}`);
  return problems;
}

const SERVICE_IMAGES = [
  ["control-plane", /\/?control-plane:/],
  ["gateway", /\/?gateway:/],
  ["worker", /\/?worker(-gpu)?:/],
];

function serviceOf(container) {
  for (const [service, re] of SERVICE_IMAGES) if (re.test(container.image || "")) return service;
  return null;
}

function labelsMatch(selector, labels) {
  return Object.entries(selector || {}).every(([k, v]) => labels && labels[k] === v);
}

/** Security context and resources every container must have. */
function containerBasics(cw, c, podSc) {
  const problems = [];
  const sc = c.securityContext || {};
  if (!(sc.runAsNonRoot === true || podSc.runAsNonRoot === true)) problems.push(`${cw}: runAsNonRoot not set`);
  if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${cw}: runs as uid 0`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${cw}: allowPrivilegeEscalation is not false`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${cw}: root file system is not read-only`);
  if (!(sc.capabilities?.drop || []).includes("ALL")) problems.push(`${cw}: capabilities not dropped`);
  if (sc.privileged) problems.push(`${cw}: privileged`);
  const req = c.resources?.requests || {};
  if (!req.cpu || !req.memory) problems.push(`${cw}: no cpu and memory requests`);
  if (!c.resources?.limits?.memory) problems.push(`${cw}: no memory limit`);
  return problems;
}

/** The chart's rules over all objects of one render. */
export function chartProblems(objects, scenario, flags) {
  const problems = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const named = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
  const secrets = new Set(byKind("Secret").map((s) => s.metadata.name));
  for (const s of scenario.secretsOutside || []) secrets.add(s);

  // Kinds and counts.
  const counts = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] || 0) + 1;
  for (const [kind, n] of Object.entries(scenario.expect?.kinds || {})) {
    if ((counts[kind] || 0) !== n) problems.push(`expected ${n} ${kind}, rendered ${counts[kind] || 0}`);
  }
  for (const kind of Object.keys(counts)) {
    if (scenario.expect?.kinds && !(kind in scenario.expect.kinds)) problems.push(`unexpected kind ${kind} (${counts[kind]})`);
  }
  const names = new Set();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata?.name}`;
    if (names.has(key)) problems.push(`${key} rendered twice`);
    names.add(key);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata?.name || "") || o.metadata.name.length > 63) {
      problems.push(`${key}: not a valid DNS label`);
    }
  }

  const poolsSeen = {};
  for (const w of workloads) {
    const where = `${w.kind}/${w.metadata.name}`;
    const pod = w.spec.template.spec;
    const podLabels = w.spec.template.metadata?.labels || {};
    if (!labelsMatch(w.spec.selector?.matchLabels, podLabels)) problems.push(`${where}: selector does not match the pod labels`);
    if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    const podSc = pod.securityContext || {};
    if (podSc.seccompProfile?.type !== "RuntimeDefault") problems.push(`${where}: no RuntimeDefault seccomp profile`);
    const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
    const claimTemplates = new Set((w.spec.volumeClaimTemplates || []).map((c) => c.metadata.name));

    for (const c of pod.containers) {
      const cw = `${where}/${c.name}`;
      problems.push(...containerBasics(cw, c, podSc));
      if (!c.readinessProbe || !c.livenessProbe) problems.push(`${cw}: no readiness and liveness probes`);
      for (const m of c.volumeMounts || []) {
        if (!volumes.has(m.name) && !claimTemplates.has(m.name)) problems.push(`${cw}: mounts unknown volume ${m.name}`);
      }
      const mounted = new Map((c.volumeMounts || []).map((m) => [m.mountPath, m.name]));
      const ports = new Map((c.ports || []).map((p) => [p.name, p.containerPort]));

      // $(VAR) only refers to variables defined before it in the container.
      const defined = new Set();
      for (const e of c.env || []) {
        for (const ref of String(e.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (!defined.has(ref[1])) problems.push(`${cw}: env ${e.name} uses $(${ref[1]}) before it is defined`);
        }
        defined.add(e.name);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !secrets.has(ref.name)) problems.push(`${cw}: env ${e.name} reads Secret ${ref.name}, which is neither rendered nor expected`);
      }
      for (const a of c.args || []) {
        for (const ref of String(a).matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (!defined.has(ref[1])) problems.push(`${cw}: argument ${a} uses $(${ref[1]}), which is not in env`);
        }
      }
      for (const v of pod.volumes || []) {
        if (v.secret && !secrets.has(v.secret.secretName)) problems.push(`${where}: volume ${v.name} reads Secret ${v.secret.secretName}, which is neither rendered nor expected`);
      }

      const service = serviceOf(c);
      if (!service) continue;
      const envOf = (name) => (c.env || []).find((e) => e.name === name);
      const fieldRef = (name) => envOf(name)?.valueFrom?.fieldRef?.fieldPath;
      if (podLabels["app.kubernetes.io/component"] !== service) problems.push(`${cw}: image of ${service} in a pod labelled ${podLabels["app.kubernetes.io/component"]}`);
      problems.push(...checkArgs(flags, service, c.args || [], cw));
      if (!mounted.has("/tmp") || !volumes.get(mounted.get("/tmp"))?.emptyDir) problems.push(`${cw}: /tmp is not an emptyDir`);
      if (!envOf("MAAS_LOG_LEVEL")) problems.push(`${cw}: no MAAS_LOG_LEVEL`);

      const grpcPort = ports.get("grpc");
      if (!grpcPort) problems.push(`${cw}: no port named grpc`);
      // Readiness by gRPC health on the gRPC port.
      if (c.readinessProbe?.grpc?.port !== grpcPort) problems.push(`${cw}: readiness is not a gRPC health probe on port ${grpcPort}`);
      if (service !== "gateway" && c.livenessProbe?.grpc?.port !== grpcPort) problems.push(`${cw}: liveness is not a gRPC health probe on port ${grpcPort}`);
      if (!c.startupProbe) problems.push(`${cw}: no startup probe`);

      if (service === "control-plane") {
        const dataDir = argValue(c.args || [], "--data-dir") ?? envOf("MAAS_DATA_DIR")?.value;
        if (!dataDir || !mounted.has(dataDir)) problems.push(`${cw}: the data directory ${dataDir} is not a mounted volume`);
        const data = volumes.get(mounted.get(dataDir));
        const claim = data?.persistentVolumeClaim?.claimName;
        if (!claim) problems.push(`${cw}: the data directory is not on a PersistentVolumeClaim`);
        const pvc = claim && named("PersistentVolumeClaim", claim);
        if (pvc && !(pvc.spec.accessModes || []).includes("ReadWriteMany") && w.spec.replicas > 1) {
          problems.push(`${cw}: ${w.spec.replicas} replicas share ${claim}, which is not ReadWriteMany`);
        }
        for (const name of ["MAAS_DB_URL", "MAAS_CLUSTER_TOKEN", "MAAS_MASTER_KEY"]) if (!envOf(name)) problems.push(`${cw}: no ${name}`);
        if (!envOf("MAAS_ADMIN_TOKEN") && !envOf("MAAS_ADMIN_TOKEN_FILE")) problems.push(`${cw}: no admin token`);
        const tokenFile = envOf("MAAS_ADMIN_TOKEN_FILE")?.value;
        if (tokenFile && ![...mounted.keys()].some((p) => tokenFile.startsWith(p + "/"))) problems.push(`${cw}: ${tokenFile} is not on a mounted volume`);
        if (!/^jdbc:postgresql:\/\//.test(envOf("MAAS_DB_URL")?.value || "")) problems.push(`${cw}: MAAS_DB_URL is not a PostgreSQL JDBC URL`);
        if (scenario.expect?.controlPlaneReplicas && w.spec.replicas !== scenario.expect.controlPlaneReplicas) {
          problems.push(`${cw}: ${w.spec.replicas} replicas, expected ${scenario.expect.controlPlaneReplicas}`);
        }
      }
      if (service === "gateway" || service === "worker") {
        if (!envOf("MAAS_CLUSTER_TOKEN")?.valueFrom?.secretKeyRef) problems.push(`${cw}: the cluster token does not come from a Secret`);
        const cp = argValue(c.args || [], "--control-plane");
        const [host, port] = String(cp).split(":");
        const cpService = named("Service", host);
        if (!cpService) problems.push(`${cw}: --control-plane ${cp} names no rendered Service`);
        else if (!cpService.spec.ports.some((p) => String(p.port) === port && p.name === "grpc")) problems.push(`${cw}: --control-plane ${cp}: no grpc port ${port} on that Service`);
        if (Number(argValue(c.args || [], "--port")) !== grpcPort) problems.push(`${cw}: --port is not the grpc container port`);
        if (Number(argValue(c.args || [], "--metrics-port")) !== ports.get("metrics")) problems.push(`${cw}: --metrics-port is not the metrics container port`);
      }
      if (service === "worker") {
        const advertise = argValue(c.args || [], "--advertise-address");
        if (advertise !== `$(POD_IP):${grpcPort}`) problems.push(`${cw}: --advertise-address is ${advertise}, not $(POD_IP):${grpcPort}`);
        if (fieldRef("POD_IP") !== "status.podIP") problems.push(`${cw}: POD_IP does not come from status.podIP`);
        if (argValue(c.args || [], "--worker-id") !== "$(POD_NAME)" || fieldRef("POD_NAME") !== "metadata.name") problems.push(`${cw}: --worker-id is not the pod name`);
        const cacheDir = argValue(c.args || [], "--cache-dir");
        if (!cacheDir || !volumes.get(mounted.get(cacheDir))?.emptyDir) problems.push(`${cw}: --cache-dir ${cacheDir} is not an emptyDir`);
        const device = argValue(c.args || [], "--device");
        const pool = podLabels["maas.dev/pool"];
        poolsSeen[pool] = device;
        if (podLabels["maas.dev/device"] !== device) problems.push(`${cw}: --device ${device} but labelled ${podLabels["maas.dev/device"]}`);
        const gpus = c.resources?.limits?.["nvidia.com/gpu"];
        if (device === "gpu") {
          if (!(Number(gpus) >= 1)) problems.push(`${cw}: a gpu pool without an nvidia.com/gpu limit`);
          if (!/worker-gpu:/.test(c.image)) problems.push(`${cw}: a gpu pool on the CPU image ${c.image}`);
          if (!(pod.tolerations || []).some((t) => t.key === "nvidia.com/gpu")) problems.push(`${cw}: a gpu pool without a toleration for nvidia.com/gpu`);
        } else {
          if (gpus !== undefined) problems.push(`${cw}: a cpu pool asks for nvidia.com/gpu`);
          if (/worker-gpu:/.test(c.image)) problems.push(`${cw}: a cpu pool on the GPU image`);
        }
        if (!(Number(argValue(c.args || [], "--slots")) >= 1)) problems.push(`${cw}: no --slots`);
      }
    }
  }
  // Test pods (helm test): the same security, and targets that are rendered Services.
  for (const p of byKind("Pod")) {
    const where = `Pod/${p.metadata.name}`;
    if (p.metadata.annotations?.["helm.sh/hook"] !== "test") problems.push(`${where}: a bare Pod that is not a helm test`);
    if (p.spec.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    for (const c of p.spec.containers) {
      problems.push(...containerBasics(`${where}/${c.name}`, c, p.spec.securityContext || {}));
      for (const [, host, port] of (c.command || []).join(" ").matchAll(/([a-z0-9-]+):(\d+)/g)) {
        const svc = named("Service", host);
        if (!svc || !svc.spec.ports.some((sp) => String(sp.port) === port)) problems.push(`${where}: ${host}:${port} is no rendered Service port`);
      }
    }
  }

  for (const [pool, device] of Object.entries(scenario.expect?.pools || {})) {
    if (poolsSeen[pool] !== device) problems.push(`expected worker pool ${pool} on ${device}, rendered ${poolsSeen[pool] ?? "none"}`);
  }
  for (const pool of Object.keys(poolsSeen)) {
    if (scenario.expect?.pools && !(pool in scenario.expect.pools)) problems.push(`unexpected worker pool ${pool}`);
  }

  // Services select pods, and their target ports are named pod ports.
  const podsOf = (selector) => workloads.filter((w) => labelsMatch(selector, w.spec.template.metadata?.labels));
  for (const s of byKind("Service")) {
    const pods = podsOf(s.spec.selector);
    if (pods.length === 0) problems.push(`Service/${s.metadata.name}: selects no pods`);
    for (const p of s.spec.ports) {
      if (typeof p.targetPort === "string" && !pods.every((w) => w.spec.template.spec.containers.some((c) => (c.ports || []).some((cp) => cp.name === p.targetPort)))) {
        problems.push(`Service/${s.metadata.name}: targetPort ${p.targetPort} is not a port of every selected pod`);
      }
    }
  }
  for (const pdb of byKind("PodDisruptionBudget")) {
    const pods = podsOf(pdb.spec.selector?.matchLabels);
    if (pods.length !== 1) problems.push(`PodDisruptionBudget/${pdb.metadata.name}: selects ${pods.length} workloads`);
    else if (pods[0].spec.replicas !== undefined && pdb.spec.minAvailable >= pods[0].spec.replicas) problems.push(`PodDisruptionBudget/${pdb.metadata.name}: minAvailable ${pdb.spec.minAvailable} blocks every eviction of ${pods[0].spec.replicas} replicas`);
  }
  for (const hpa of byKind("HorizontalPodAutoscaler")) {
    const target = named(hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
    if (!target) problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: scales ${hpa.spec.scaleTargetRef.name}, which is not rendered`);
    else if (target.spec.replicas !== undefined) problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: its Deployment also sets replicas (they would fight)`);
    if (hpa.spec.minReplicas > hpa.spec.maxReplicas) problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: minReplicas > maxReplicas`);
  }
  for (const sm of byKind("ServiceMonitor")) {
    const services = byKind("Service").filter((s) => labelsMatch(sm.spec.selector.matchLabels, s.metadata.labels));
    if (services.length === 0) problems.push(`ServiceMonitor/${sm.metadata.name}: selects no Service`);
    for (const e of sm.spec.endpoints) {
      if (!services.every((s) => s.spec.ports.some((p) => p.name === e.port))) problems.push(`ServiceMonitor/${sm.metadata.name}: port ${e.port} missing on a selected Service`);
    }
  }

  // Network policies: workers reachable on gRPC only from gateways and control planes.
  const policies = byKind("NetworkPolicy");
  if (policies.length > 0) {
    const workerPolicy = policies.find((p) => p.spec.podSelector.matchLabels?.["app.kubernetes.io/component"] === "worker");
    if (!workerPolicy) problems.push("NetworkPolicy: none selects the workers");
    else {
      const grpcRules = workerPolicy.spec.ingress.filter((r) => (r.ports || []).some((p) => p.port === "grpc"));
      const components = grpcRules.flatMap((r) => (r.from || [{ anyone: true }]).map((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/component"] ?? (f.anyone ? "anyone" : "other")));
      if (grpcRules.length !== 1 || components.sort().join(",") !== "control-plane,gateway") {
        problems.push(`NetworkPolicy/${workerPolicy.metadata.name}: worker gRPC is open to ${components.join(", ")}, not only gateways and control planes`);
      }
      if (workerPolicy.spec.ingress.some((r) => !(r.ports || []).length)) problems.push(`NetworkPolicy/${workerPolicy.metadata.name}: a rule without ports`);
    }
    const cpPolicy = policies.find((p) => p.spec.podSelector.matchLabels?.["app.kubernetes.io/component"] === "control-plane");
    if (!cpPolicy) problems.push("NetworkPolicy: none selects the control plane");
    else {
      const rules = cpPolicy.spec.ingress.filter((r) => (r.ports || []).some((p) => p.port === "grpc"));
      const release = rules.flatMap((r) => r.from || []).find((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/instance"] === scenario.release && !f.namespaceSelector);
      if (rules.some((r) => !r.from) || !release) problems.push(`NetworkPolicy/${cpPolicy.metadata.name}: the cluster API is not limited to the release's pods`);
    }
    for (const p of policies) {
      if (workloads.filter((w) => labelsMatch(p.spec.podSelector.matchLabels, w.spec.template.metadata?.labels)).length === 0) {
        problems.push(`NetworkPolicy/${p.metadata.name}: selects no pods`);
      }
    }
  }
  return problems;
}

