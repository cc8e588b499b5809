// Scale-out proof on one machine (issue 6): the maas jars as a small cluster —
// PostgreSQL, 2 control planes behind a TCP balancer (what a Kubernetes Service
// does), 3 workers, 2 gateways, each a process on its own loopback port — a
// model deployed with 2 replicas, load through both gateways, then a worker
// holding a replica and the placement leader killed (SIGKILL). It reports
// every call's outcome, the placements before and after, and the leader.
//
//   node proof.mjs OUT_DIR    (deploy/scale-out/run.sh installs and runs it)
//
// Exit 0 when no call failed and the killed worker's replica was placed again.

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const outDir = path.resolve(process.argv[2] || path.join(here, ".out"));
const LOAD_SECONDS = Number(process.env.PROOF_LOAD_SECONDS || 60);
const KILL_WORKER_AT = Number(process.env.PROOF_KILL_WORKER_AT || 20);
const KILL_LEADER_AT = Number(process.env.PROOF_KILL_LEADER_AT || 40);
const CONCURRENCY = Number(process.env.PROOF_CONCURRENCY || 4); // per gateway
const DEADLINE_MS = 5000;

const jars = {
  controlPlane: path.join(repoRoot, "control-plane/target/maas-control-plane.jar"),
  gateway: path.join(repoRoot, "gateway/target/maas-gateway.jar"),
  worker: path.join(repoRoot, "worker/target/maas-worker.jar"),
};
for (const jar of Object.values(jars)) if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: ./mvnw package -DskipTests first`);

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, "logs"), { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "maas-proof-"));
fs.chmodSync(work, 0o755);
const started = Date.now();
const clock = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);
const events = [];
const note = (text) => {
  const line = `${clock()} s  ${text}`;
  events.push(line);
  console.log(line);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- processes
const processes = [];
function startProcess(name, argv, env, options = {}) {
  const log = fs.openSync(path.join(outDir, "logs", `${name}.log`), "w");
  const child = spawn(argv[0], argv.slice(1), { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", log, log], cwd: options.cwd || work });
  const entry = { name, child, argv };
  processes.push(entry);
  child.on("exit", (code, signal) => {
    entry.exited = { code, signal };
  });
  return entry;
}
function logOf(name) {
  return fs.readFileSync(path.join(outDir, "logs", `${name}.log`), "utf8");
}
async function stopAll() {
  for (const p of processes) if (!p.exited) p.child.kill("SIGTERM");
  for (let i = 0; i < 40 && processes.some((p) => !p.exited); i++) await sleep(250);
  for (const p of processes) if (!p.exited) p.child.kill("SIGKILL");
}

// PostgreSQL from Debian's postgresql package, as an unprivileged user when we are root.
function postgresBin() {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => b - a) : [];
  for (const v of versions) if (fs.existsSync(path.join(base, v, "bin/postgres"))) return path.join(base, v, "bin");
  throw new Error("no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)");
}
const asRoot = process.getuid() === 0;
const unprivileged = (argv) => (asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv] : argv);

// --------------------------------------------------------- a Service for CPs
// Like a ClusterIP Service: each new connection goes to the next live control
// plane; connections to one that dies break, and clients reconnect through it.
function startBalancer(port, backends) {
  let next = 0;
  const server = net.createServer((client) => {
    client.on("error", () => {});
    const tryBackend = (attempt) => {
      if (attempt >= backends.length) {
        client.destroy();
        return;
      }
      const upstream = net.connect(backends[(next + attempt) % backends.length].port, "127.0.0.1");
      const refused = () => {
        upstream.destroy();
        tryBackend(attempt + 1);
      };
      upstream.once("error", refused);
      upstream.once("connect", () => {
        upstream.removeListener("error", refused);
        next = (next + attempt + 1) % backends.length;
        upstream.on("error", () => client.destroy());
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
      });
    };
    tryBackend(0);
  });
  server.listen(port, "127.0.0.1");
  return server;
}

// ------------------------------------------------------------------- gRPC
const packages = grpc.loadPackageDefinition(
  protoLoader.loadSync(["maas/admin/v1/admin.proto", "inference/grpc_service.proto"], {
    includeDirs: [path.join(repoRoot, "proto/src/main/proto")],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  }),
);
const admin = packages.maas.admin.v1;
const credentials = grpc.credentials.createInsecure();
const bearer = (token) => {
  const m = new grpc.Metadata();
  m.set("authorization", `Bearer ${token}`);
  return m;
};
const unary = (client, method, request, token, deadlineMs = 10000) =>
  new Promise((resolve, reject) => {
    client[method](request, bearer(token), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
async function retrying(what, fn, seconds = 120) {
  let last;
  for (let i = 0; i < seconds * 2; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await sleep(500);
    }
  }
  throw new Error(`${what}: ${last?.message}`);
}

// --------------------------------------------------------------------- run
const report = { events, phases: [], placementsBefore: [], placementsAfter: [] };
let exitCode = 1;
try {
  const tokens = { admin: "proof-admin-token", cluster: "proof-cluster-token" };
  const masterKey = Buffer.alloc(32, 7).toString("base64");

  // PostgreSQL
  const pgBin = postgresBin();
  const pgData = path.join(work, "pg");
  const pgRun = path.join(work, "pgrun");
  for (const d of [pgData, pgRun]) fs.mkdirSync(d, { mode: 0o700 });
  if (asRoot) execFileSync("chown", ["65534:65534", pgData, pgRun]);
  execFileSync(unprivileged([path.join(pgBin, "initdb"), "-D", pgData, "-U", "maas", "--auth=trust", "-E", "UTF8"])[0], unprivileged([path.join(pgBin, "initdb"), "-D", pgData, "-U", "maas", "--auth=trust", "-E", "UTF8"]).slice(1), { stdio: "ignore" });
  const pgPort = await freePort();
  startProcess("postgres", unprivileged([path.join(pgBin, "postgres"), "-D", pgData, "-p", String(pgPort), "-k", pgRun, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100"]), {});
  await retrying("PostgreSQL", async () => {
    const r = spawnSync("psql", ["-h", "127.0.0.1", "-p", String(pgPort), "-U", "maas", "-d", "postgres", "-tAc", "create database maas"], { encoding: "utf8" });
    if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new Error(r.stderr);
  });
  const sql = (query) => spawnSync("psql", ["-h", "127.0.0.1", "-p", String(pgPort), "-U", "maas", "-d", "maas", "-tAF", "|", "-c", query], { encoding: "utf8" }).stdout.trim();
  note(`PostgreSQL ${path.basename(path.dirname(pgBin))} on 127.0.0.1:${pgPort}`);

  // Control planes: one data directory (the shared artifact volume), one database.
  const dataDir = path.join(work, "cp-data");
  fs.mkdirSync(dataDir);
  const cps = [];
  for (const n of [1, 2]) {
    const grpcPort = await freePort();
    const cp = startProcess(`control-plane-${n}`, ["java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", jars.controlPlane], {
      MAAS_DB_URL: `jdbc:postgresql://127.0.0.1:${pgPort}/maas`,
      MAAS_DB_USER: "maas",
      MAAS_DATA_DIR: dataDir,
      MAAS_UPLOAD_INSTANCE_ID: `control-plane-${n}`,
      MAAS_GRPC_PORT: String(grpcPort),
      MICRONAUT_SERVER_PORT: String(await freePort()),
      MAAS_ADMIN_TOKEN: tokens.admin,
      MAAS_CLUSTER_TOKEN: tokens.cluster,
      MAAS_MASTER_KEY: masterKey,
    });
    cp.port = grpcPort;
    cps.push(cp);
  }
  const cpServicePort = await freePort();
  const balancer = startBalancer(cpServicePort, cps);
  const cpService = `127.0.0.1:${cpServicePort}`;
  const adminClients = {
    tenants: new admin.TenantService(cpService, credentials),
    keys: new admin.ApiKeyService(cpService, credentials),
    models: new admin.ModelService(cpService, credentials),
    deployments: new admin.DeploymentService(cpService, credentials),
    workers: new admin.WorkerService(cpService, credentials),
    quotas: new admin.QuotaService(cpService, credentials),
  };
  for (const cp of cps) {
    const direct = new admin.TenantService(`127.0.0.1:${cp.port}`, credentials);
    await retrying(`${cp.name} start`, () => unary(direct, "ListTenants", {}, tokens.admin), 180);
    direct.close();
  }
  note(`control planes on 127.0.0.1:${cps[0].port} and :${cps[1].port}, behind a TCP balancer on ${cpService} (the "Service")`);

  // Workers and gateways, all pointed at the balancer.
  const workers = [];
  for (const n of [1, 2, 3]) {
    const port = await freePort();
    const cache = path.join(work, `worker-${n}`);
    const w = startProcess(`worker-${n}`, ["java", "-Xmx512m", "-XX:+UseSerialGC", "-jar", jars.worker,
      "--control-plane", cpService, "--advertise-address", `127.0.0.1:${port}`, "--worker-id", `worker-${n}`,
      "--slots", "2", "--cache-dir", cache, "--port", String(port), "--metrics-port", "-1", "--device", "cpu"], { MAAS_CLUSTER_TOKEN: tokens.cluster });
    w.port = port;
    workers.push(w);
  }
  const gateways = [];
  for (const n of [1, 2]) {
    const port = await freePort();
    const metricsPort = await freePort();
    const g = startProcess(`gateway-${n}`, ["java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", jars.gateway,
      "--control-plane", cpService, "--port", String(port), "--metrics-port", String(metricsPort), "--gateway-id", `gateway-${n}`, "--replicas-hint", "2"], { MAAS_CLUSTER_TOKEN: tokens.cluster });
    g.port = port;
    g.metricsPort = metricsPort;
    g.client = new packages.inference.GRPCInferenceService(`127.0.0.1:${port}`, credentials);
    gateways.push(g);
  }
  await retrying("workers registered", async () => {
    const res = await unary(adminClients.workers, "ListWorkers", {}, tokens.admin);
    if (res.workers.filter((w) => w.healthy).length < 3) throw new Error(`${res.workers.length} workers`);
  }, 180);
  note(`3 workers registered (ports ${workers.map((w) => w.port).join(", ")}, 2 slots each); 2 gateways on ${gateways.map((g) => g.port).join(", ")}`);

  // A tenant, an infer key, the affine demo model uploaded and deployed with 2 replicas.
  const models = path.join(work, "models");
  execFileSync("java", ["-jar", jars.worker, "export-demo-models", models], { stdio: "ignore" });
  const archive = path.join(work, "affine.tar");
  execFileSync("tar", ["-C", path.join(models, "affine/1"), "-cf", archive, "."]);
  const bytes = fs.readFileSync(archive);
  const sha256 = (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex");
  await unary(adminClients.tenants, "CreateTenant", { name: "proof" }, tokens.admin);
  // Rate limits high enough that every call tests routing, not quotas.
  await unary(adminClients.quotas, "SetQuota", { tenant: "proof", quota: { requests_per_second: 1e6, burst: 1e6, max_concurrent_requests: 10000 } }, tokens.admin);
  const key = (await unary(adminClients.keys, "CreateApiKey", { tenant: "proof", scopes: ["SCOPE_INFER"] }, tokens.admin)).secret;
  await unary(adminClients.models, "CreateModel", { tenant: "proof", name: "affine" }, tokens.admin);
  const version = await new Promise((resolve, reject) => {
    const call = adminClients.models.UploadVersion(bearer(tokens.admin), (err, res) => (err ? reject(err) : resolve(res.version)));
    call.write({ start: { tenant: "proof", model: "affine" } });
    for (let off = 0; off < bytes.length; off += 1 << 20) call.write({ chunk: bytes.subarray(off, off + (1 << 20)) });
    call.write({ finish: { sha256, size_bytes: bytes.length } });
    call.end();
  });
  await retrying("version READY", async () => {
    const v = (await unary(adminClients.models, "GetVersion", { tenant: "proof", model: "affine", version: version.version }, tokens.admin)).version;
    if (v.state === "VERSION_STATE_FAILED") throw new Error(`version failed: ${v.reason}`);
    if (v.state !== "VERSION_STATE_READY") throw new Error(v.state);
  });
  await unary(adminClients.deployments, "SetDeployment", {
    deployment: { tenant: "proof", model: "affine", default_version: version.version, min_replicas: 2, max_replicas: 2, device: "DEVICE_CPU" },
  }, tokens.admin);
  note(`tenant "proof", an infer key, model affine version ${version.version} uploaded (${bytes.length} bytes) and deployed: 2 replicas, cpu`);

  const placements = () =>
    sql("select p.worker_id, w.healthy, p.state from placements p join workers w on w.id = p.worker_id order by p.worker_id")
      .split("\n").filter(Boolean).map((l) => { const [worker, healthy, state] = l.split("|"); return { worker, healthy: healthy === "t", state }; });
  const serving = () => placements().filter((p) => p.state === "SERVING" && p.healthy);
  const request = { model_name: "affine", inputs: [{ name: "x", datatype: "FP32", shape: [1, 4], contents: { fp32_contents: [1, 2, 3, 4] } }] };
  const infer = (g) => new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    g.client.ModelInfer(request, bearer(key), { deadline: Date.now() + DEADLINE_MS }, (err, res) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (err) resolve({ ok: false, code: grpc.status[err.code] || String(err.code), message: err.details, ms });
      else {
        const y = res.outputs?.[0]?.contents?.fp32_contents || [];
        const raw = res.raw_output_contents?.[0];
        const values = y.length ? y : raw ? Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))) : [];
        resolve({ ok: values.join(",") === "3,5,7,9", code: values.join(",") === "3,5,7,9" ? "OK" : `WRONG ${values}`, ms });
      }
    });
  });
  await retrying("both replicas serving and both gateways routing", async () => {
    if (serving().length < 2) throw new Error(JSON.stringify(placements()));
    for (const g of gateways) {
      const r = await infer(g);
      if (!r.ok) throw new Error(`${g.name}: ${r.code} ${r.message}`);
    }
  }, 180);
  report.placementsBefore = placements();
  note(`serving on ${report.placementsBefore.filter((p) => p.state === "SERVING").map((p) => p.worker).join(" and ")}; both gateways answer y = 2x + 1`);

  const leaderOf = () => cps.filter((cp) => !cp.exited).map((cp) => ({ cp, at: logOf(cp.name).lastIndexOf("now leads placement") })).filter((x) => x.at >= 0).sort((a, b) => b.at - a.at)[0]?.cp;

  // Load through both gateways; kill a serving worker, then the leader.
  const results = [];
  let phase = "before the kills";
  let running = true;
  const loops = [];
  for (const g of gateways) {
    for (let i = 0; i < CONCURRENCY; i++) {
      loops.push((async () => {
        while (running) {
          const r = await infer(g);
          results.push({ ...r, gateway: g.name, phase, t: (Date.now() - started) / 1000 });
        }
      })());
    }
  }
  // Every 250 ms: which workers are healthy and where the model serves; changes go to the timeline.
  let lastView = "";
  const sampler = setInterval(() => {
    const rows = sql("select id, healthy from workers order by id").split("\n").filter(Boolean).map((l) => l.split("|"));
    const view = `healthy: ${rows.filter((r) => r[1] === "t").map((r) => r[0]).join(", ") || "none"}; serving: ${serving().map((p) => p.worker).join(", ") || "none"}`;
    if (view !== lastView) note(view);
    lastView = view;
  }, 250);
  note(`load: ${CONCURRENCY} concurrent callers on each gateway, ${LOAD_SECONDS} s, deadline ${DEADLINE_MS} ms, no retries in the client`);
  const loadStart = Date.now();
  const at = (s) => sleep(Math.max(0, loadStart + s * 1000 - Date.now()));

  await at(KILL_WORKER_AT);
  const victimId = report.placementsBefore.find((p) => p.state === "SERVING").worker;
  const victim = workers.find((w) => w.name === victimId);
  victim.child.kill("SIGKILL");
  phase = "after killing a worker";
  note(`SIGKILL ${victimId} (held a serving replica)`);
  const replaced = (async () => {
    for (;;) {
      const s = serving();
      if (s.length >= 2 && !s.some((p) => p.worker === victimId)) return s;
      await sleep(250);
    }
  })();
  const replacedIn = await Promise.race([replaced.then((s) => ({ s })), sleep(60000).then(() => null)]);
  if (replacedIn) note(`replica placed again: serving on ${replacedIn.s.map((p) => p.worker).join(" and ")} (${victimId} marked unhealthy)`);
  else note("the replica was NOT placed again within 60 s");

  await at(KILL_LEADER_AT);
  const leader = leaderOf();
  leader.child.kill("SIGKILL");
  phase = "after killing the leader";
  note(`SIGKILL ${leader.name} (the placement leader)`);
  const other = cps.find((cp) => cp !== leader);
  const before = logOf(other.name).split("now leads placement").length;
  for (let i = 0; i < 120; i++) {
    if (logOf(other.name).split("now leads placement").length > before || logOf(other.name).includes("now leads placement")) break;
    await sleep(250);
  }
  if (logOf(other.name).includes("now leads placement")) note(`${other.name} leads placement`);
  const adminAfter = await retrying("admin API through the Service after the kill", () => unary(adminClients.workers, "ListWorkers", {}, tokens.admin), 30);
  note(`admin API through the Service answers (${other.name}): ${adminAfter.workers.map((w) => `${w.id} ${w.healthy ? "healthy" : "unhealthy"}, ${w.used_slots}/${w.slots} slots`).join("; ")}`);

  await at(LOAD_SECONDS);
  running = false;
  await Promise.all(loops);
  clearInterval(sampler);
  note(`load stopped: ${results.length} calls`);
  report.placementsAfter = placements();

  // Results by phase and gateway.
  const percentile = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
  };
  for (const ph of ["before the kills", "after killing a worker", "after killing the leader"]) {
    for (const g of gateways) {
      const rs = results.filter((r) => r.phase === ph && r.gateway === g.name);
      const codes = {};
      for (const r of rs) codes[r.code] = (codes[r.code] || 0) + 1;
      report.phases.push({ phase: ph, gateway: g.name, calls: rs.length, failed: rs.filter((r) => !r.ok).length, codes, p50: percentile(rs.map((r) => r.ms), 50), p99: percentile(rs.map((r) => r.ms), 99), max: percentile(rs.map((r) => r.ms), 100) });
    }
  }
  const failed = results.filter((r) => !r.ok);
  // The gateways' own counters: attempts retried on another replica, replicas ejected.
  const counters = {};
  for (const g of gateways) {
    const text = await fetch(`http://127.0.0.1:${g.metricsPort}/metrics`).then((r) => r.text()).catch(() => "");
    const sum = (name) => text.split("\n").filter((l) => l.startsWith(name)).reduce((a, l) => a + Number(l.split(" ").pop()), 0);
    counters[g.name] = { retries: sum("maas_gateway_retries_total"), ejections: sum("maas_gateway_ejections_total") };
  }
  report.summary = { calls: results.length, failed: failed.length, replaced: Boolean(replacedIn), firstFailures: failed.slice(0, 5) };

  // The report.
  const lines = [];
  lines.push(`Run by \`deploy/scale-out/run.sh\` on ${os.cpus().length} CPUs (${os.cpus()[0].model.trim()}), ${new Date().toISOString().slice(0, 10)}: PostgreSQL, 7 JVMs and the load generator share them, so latencies include that contention (and the JIT warming up at first).`, "");
  lines.push("Timeline:", "", "```", ...events, "```", "");
  lines.push("| phase | gateway | calls | failed | codes | p50 ms | p99 ms | max ms |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const p of report.phases) lines.push(`| ${p.phase} | ${p.gateway} | ${p.calls} | ${p.failed} | ${Object.entries(p.codes).map(([c, n]) => `${c} ${n}`).join(", ")} | ${p.p50.toFixed(1)} | ${p.p99.toFixed(1)} | ${p.max.toFixed(1)} |`);
  lines.push("", `Gateway counters: ${gateways.map((g) => `${g.name} retried ${counters[g.name].retries} attempts on another replica, ejected ${counters[g.name].ejections} replicas`).join("; ")}.`);
  lines.push("", `Placements before: ${report.placementsBefore.map((p) => `${p.worker} ${p.state}`).join(", ")}.`);
  lines.push(`Placements after: ${report.placementsAfter.map((p) => `${p.worker} ${p.state}${p.healthy ? "" : " (worker unhealthy)"}`).join(", ")}.`);
  lines.push("", `Result: ${results.length} calls, ${failed.length} failed; the killed worker's replica ${replacedIn ? "was placed again" : "was NOT placed again"}.`);
  if (failed.length) lines.push("", "First failures:", "", "```", ...failed.slice(0, 10).map((f) => `${f.t.toFixed(1)} s ${f.gateway} ${f.code} ${f.message || ""}`), "```");
  fs.writeFileSync(path.join(outDir, "report.md"), lines.join("\n") + "\n");
  fs.writeFileSync(path.join(outDir, "report.json"), JSON.stringify({ ...report, counters }, null, 2));
  console.log("\n" + lines.join("\n"));
  balancer.close();
  exitCode = failed.length === 0 && replacedIn ? 0 : 1;
} catch (e) {
  console.error(`scale-out proof: ${e.stack || e}`);
} finally {
  await stopAll();
  for (const g of processes) g.client?.close?.();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
