// The images' runtime contract, rehearsed without a Docker engine.
//
// For each image, the Dockerfile's own build-stage command (the RUN that
// fills /out) runs against the jar Maven built, into a directory standing for
// /opt/maas; then the Dockerfile's ENTRYPOINT starts the service from there as
// an unprivileged user (uid 65534) with an unwritable home, and the
// Dockerfile's HEALTHCHECK command is run until it reports healthy:
//   - control plane (embedded PostgreSQL, since the image's own ENTRYPOINT
//     needs no more): HEALTHCHECK exits 0;
//   - gateway against that control plane: HEALTHCHECK exits 0 once it holds a
//     routing snapshot (it exits 1 before, which is checked too);
//   - worker over the demo models (written by the image's jar): HEALTHCHECK
//     exits 0, and TensorFlow's native libraries were loaded from
//     /opt/maas/native, not unpacked into a temporary directory or a home;
//   - HEALTHCHECK against a port nobody listens on exits 1.

import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { DockerfileParser } = require("dockerfile-ast");

const JARS = {
  "control-plane": "control-plane/target/maas-control-plane.jar",
  gateway: "gateway/target/maas-gateway.jar",
  worker: "worker/target/maas-worker.jar",
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The parts of a Dockerfile the rehearsal replays. */
function readDockerfile(file) {
  const df = DockerfileParser.parse(fs.readFileSync(file, "utf8"));
  const ins = df.getInstructions();
  const fill = ins.find((i) => i.getKeyword() === "RUN" && /^mkdir -p \/out/.test(i.getArgumentsContent().trim()));
  const entry = ins.filter((i) => i.getKeyword() === "ENTRYPOINT").pop();
  const health = ins.filter((i) => i.getKeyword() === "HEALTHCHECK").pop();
  const healthCmd = health.getArgumentsContent().replace(/^[\s\S]*?\bCMD\s+/, "");
  return {
    fill: fill.getArgumentsContent(),
    entrypoint: entry.getJSONStrings().map((j) => j.getJSONValue()),
    healthcheck: healthCmd,
  };
}

export async function rehearseImages({ repoRoot, log }) {
  const missing = Object.values(JARS).filter((j) => !fs.existsSync(path.join(repoRoot, j)));
  if (missing.length) {
    const msg = `the jars are not built (${missing.join(", ")}): run ./mvnw package first`;
    if (process.env.MAAS_VALIDATE_REQUIRE_JARS === "1") {
      log(`  FAIL ${msg}`);
      return 1;
    }
    log(`  SKIP image rehearsal: ${msg}`);
    return 0;
  }
  const asRoot = process.getuid() === 0;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "maas-rehearsal-"));
  fs.chmodSync(work, 0o755);
  const children = [];
  let failures = 0;
  const fail = (msg) => {
    failures++;
    log(`  FAIL ${msg}`);
  };
  // Runs as uid 65534 when we are root (the images' USER is not root either).
  const asUser = (argv) => (asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv] : argv);

  const layouts = {};
  const prepare = (image) => {
    const spec = readDockerfile(path.join(repoRoot, `deploy/${image}.Dockerfile`));
    const out = path.join(work, image, "opt-maas");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", spec.fill.replaceAll("/out", out)], { cwd: repoRoot, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${image}: the Dockerfile's build command failed: ${r.stderr}`);
    spawnSync("chmod", ["-R", "a+rX,go-w", out]);
    const home = path.join(work, image, "home-not-writable");
    const tmp = path.join(work, image, "tmp");
    fs.mkdirSync(tmp, { mode: 0o777 });
    fs.chmodSync(tmp, 0o777);
    layouts[image] = { spec, out, home, tmp };
    return layouts[image];
  };
  const start = (image, args, env, logFile) => {
    const { spec, out, home, tmp } = layouts[image];
    const argv = asUser([...spec.entrypoint.map((a) => a.replaceAll("/opt/maas", out)), ...args]);
    const fd = fs.openSync(logFile, "w");
    const child = spawn(argv[0], argv.slice(1), {
      cwd: tmp,
      env: { PATH: process.env.PATH, HOME: home, JAVA_TOOL_OPTIONS: `-Djava.io.tmpdir=${tmp} -Duser.home=${home} -Xmx512m`, ...env },
      stdio: ["ignore", fd, fd],
    });
    children.push(child);
    return child;
  };
  const healthcheck = (image, env) => {
    const { spec, out } = layouts[image];
    const r = spawnSync("sh", ["-c", spec.healthcheck.replaceAll("/opt/maas", out)], {
      env: { PATH: process.env.PATH, ...env },
      encoding: "utf8",
      timeout: 15000,
    });
    return { code: r.status, out: (r.stdout + r.stderr).trim() };
  };
  const waitHealthy = async (image, env, child, seconds) => {
    let last;
    for (let i = 0; i < seconds; i++) {
      if (child.exitCode !== null) return { code: -1, out: `exited with ${child.exitCode}` };
      last = healthcheck(image, env);
      if (last.code === 0) return last;
      await sleep(1000);
    }
    return last;
  };
  const stop = async (child) => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      for (let i = 0; i < 40 && child.exitCode === null; i++) await sleep(250);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  };

  try {
    for (const image of Object.keys(JARS)) prepare(image);
    const w = layouts.worker;
    for (const lib of ["libjnitensorflow.so", "libtensorflow_cc.so.2", "libtensorflow_framework.so.2"]) {
      if (!fs.existsSync(path.join(w.out, "native", lib))) fail(`worker: the build stage did not unpack ${lib} into /opt/maas/native`);
    }
    const listing = spawnSync("unzip", ["-Z1", path.join(w.out, "maas-worker.jar")], { encoding: "utf8", maxBuffer: 256 << 20 }).stdout;
    if (/org\/tensorflow\/internal\/c_api\/linux-[^/]+\/lib/.test(listing)) fail("worker: the native libraries are still inside the image's jar");
    if (!/org\/tensorflow\/internal\/c_api\/global\/tensorflow\.class/.test(listing)) fail("worker: the image's jar lost TensorFlow's classes");
    log(`  ok   build-stage commands of the three Dockerfiles ran (${work})`);

    const token = "rehearsal-cluster-token";
    const cpPort = await freePort();
    const cpLog = path.join(work, "control-plane.log");
    const dataDir = path.join(work, "control-plane", "data");
    fs.mkdirSync(dataDir, { mode: 0o777 });
    fs.chmodSync(dataDir, 0o777);
    const cp = start("control-plane", [], {
      MAAS_DATA_DIR: dataDir,
      MAAS_GRPC_PORT: String(cpPort),
      MICRONAUT_SERVER_PORT: String(await freePort()),
      MAAS_CLUSTER_TOKEN: token,
      MAAS_ADMIN_TOKEN: "rehearsal-admin-token",
    }, cpLog);
    const cpHealth = await waitHealthy("control-plane", { MAAS_GRPC_PORT: String(cpPort) }, cp, 120);
    if (cpHealth.code !== 0) fail(`control plane: HEALTHCHECK never passed (${cpHealth.out}); log ${cpLog}`);
    else log(`  ok   control plane (ENTRYPOINT as uid 65534, embedded PostgreSQL): HEALTHCHECK exit 0: ${cpHealth.out}`);

    const gwPort = await freePort();
    const gwLog = path.join(work, "gateway.log");
    const gw = start("gateway", ["--control-plane", `127.0.0.1:${cpPort}`, "--metrics-port", "-1"], { MAAS_PORT: String(gwPort), MAAS_CLUSTER_TOKEN: token }, gwLog);
    const gwHealth = await waitHealthy("gateway", { MAAS_PORT: String(gwPort) }, gw, 60);
    if (gwHealth.code !== 0) fail(`gateway: HEALTHCHECK never passed (${gwHealth.out}); log ${gwLog}`);
    else log(`  ok   gateway (ENTRYPOINT, MAAS_PORT=${gwPort}, routing snapshot from the control plane): HEALTHCHECK exit 0: ${gwHealth.out}`);
    await stop(gw);

    // A gateway without a control plane: listening but NOT_SERVING, so unhealthy.
    const lonePort = await freePort();
    const lone = start("gateway", ["--control-plane", `127.0.0.1:${await freePort()}`, "--metrics-port", "-1"], { MAAS_PORT: String(lonePort), MAAS_CLUSTER_TOKEN: token }, path.join(work, "gateway-alone.log"));
    let alone;
    for (let i = 0; i < 30; i++) {
      alone = healthcheck("gateway", { MAAS_PORT: String(lonePort) });
      if (/NOT_SERVING/.test(alone.out)) break;
      await sleep(1000);
    }
    if (alone.code !== 1 || !/NOT_SERVING/.test(alone.out)) fail(`gateway without a snapshot: HEALTHCHECK gave ${alone.code} (${alone.out}), expected 1 with NOT_SERVING`);
    else log(`  ok   gateway without a control plane: HEALTHCHECK exit 1: ${alone.out}`);
    await stop(lone);
    await stop(cp);

    const repo = path.join(w.tmp, "models");
    const wkLog = path.join(work, "worker.log");
    const exportArgv = asUser([...w.spec.entrypoint.map((a) => a.replaceAll("/opt/maas", w.out)), "export-demo-models", repo]);
    const exported = spawnSync(exportArgv[0], exportArgv.slice(1), {
      cwd: w.tmp,
      env: { PATH: process.env.PATH, HOME: w.home, JAVA_TOOL_OPTIONS: `-Djava.io.tmpdir=${w.tmp} -Duser.home=${w.home}` },
      encoding: "utf8",
      timeout: 180000,
    });
    if (exported.status !== 0) fail(`worker: export-demo-models failed: ${exported.stderr.slice(-400)}`);
    const wkPort = await freePort();
    const wk = start("worker", ["--model-repository", repo, "--metrics-port", "-1"], { MAAS_PORT: String(wkPort) }, wkLog);
    const wkHealth = await waitHealthy("worker", { MAAS_PORT: String(wkPort) }, wk, 120);
    if (wkHealth.code !== 0) fail(`worker: HEALTHCHECK never passed (${wkHealth.out}); log ${wkLog}`);
    else {
      // Health "" is SERVING once the repository was scanned; wait for a model to load too.
      let ready = false;
      for (let i = 0; i < 60 && !ready; i++) {
        ready = /model affine version 1 ready/.test(fs.readFileSync(wkLog, "utf8"));
        if (!ready) await sleep(1000);
      }
      if (!ready) fail(`worker: model affine never became ready; log ${wkLog}`);
      else {
        log(`  ok   worker (ENTRYPOINT, demo models loaded by TensorFlow): HEALTHCHECK exit 0: ${wkHealth.out}`);
        const unpacked = spawnSync("find", [w.tmp, w.home, "-name", "libtensorflow*"], { encoding: "utf8" }).stdout.trim();
        if (unpacked) fail(`worker: TensorFlow's libraries were unpacked at run time: ${unpacked.split("\n")[0]}`);
        else log("  ok   worker: TensorFlow loaded from /opt/maas/native, nothing unpacked at start");
      }
    }
    await stop(wk);

    const dead = healthcheck("worker", { MAAS_PORT: String(await freePort()) });
    if (dead.code !== 1) fail(`HEALTHCHECK against a closed port exited ${dead.code}, expected 1 (${dead.out})`);
    else log(`  ok   HEALTHCHECK against a closed port: exit 1: ${dead.out}`);
  } catch (e) {
    fail(`rehearsal: ${e.message}`);
  } finally {
    for (const c of children) await stop(c);
    if (!failures) fs.rmSync(work, { recursive: true, force: true });
  }
  return failures;
}
