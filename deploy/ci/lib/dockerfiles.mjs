// The images' rules (issue 6), checked on deploy/*.Dockerfile without a Docker
// engine: dockerfile-utils' linter (the one VS Code's Docker support uses)
// finds syntax errors, unknown instructions and flags; then, per file:
//   - multi-stage, and the runtime stage on a JRE 17 base (Temurin's
//     17-jre, or a CUDA *runtime* base with Temurin's 17 JRE copied in);
//   - a non-root numeric USER in the runtime stage (runAsNonRoot can verify it);
//   - no build tools in the runtime stage: no JDK, Maven, compilers, git,
//     curl/wget, zip; no Maven or javac run there, no source tree copied in;
//   - a HEALTHCHECK that calls gRPC health (GrpcHealthCheck) on the jar the
//     ENTRYPOINT runs, on the service's port;
//   - an exec-form ENTRYPOINT `java ... -jar <the jar>`, the ports the docs give;
//   - the build stage builds the right module (and -Pgpu for the GPU image);
//   - a .dockerignore beside it keeping .git and target/ out of the context.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const utils = require("dockerfile-utils");
const { DockerfileParser } = require("dockerfile-ast");

export const IMAGES = {
  "control-plane": { module: "control-plane", jar: "maas-control-plane.jar", ports: ["7001", "7000"], grpcPortVar: "MAAS_GRPC_PORT", grpcPort: "7001" },
  gateway: { module: "gateway", jar: "maas-gateway.jar", ports: ["8001", "8002"], grpcPortVar: "MAAS_PORT", grpcPort: "8001" },
  worker: { module: "worker", jar: "maas-worker.jar", ports: ["9001", "9002"], grpcPortVar: "MAAS_PORT", grpcPort: "9001" },
  "worker-gpu": { module: "worker", jar: "maas-worker.jar", ports: ["9001", "9002"], grpcPortVar: "MAAS_PORT", grpcPort: "9001", gpu: true },
};

const JRE17 = /^(docker\.io\/)?(library\/)?eclipse-temurin:17(\.[0-9.+_]+)?-jre(-[a-z0-9.]+)?$/;
const JDK = /(-jdk|openjdk-\d+-jdk|default-jdk|maven|gradle)/;
const BUILD_TOOLS = /\b(maven|gradle|ant|gcc|g\+\+|clang|make|cmake|build-essential|git|curl|wget|zip|unzip|openjdk-\d+-jdk(-headless)?|default-jdk|temurin-\d+-jdk)\b/;

/** Stages of a parsed Dockerfile: { name, base, instructions }. ARG defaults before FROM are expanded. */
function stagesOf(df) {
  const args = {};
  const stages = [];
  for (const ins of df.getInstructions()) {
    const kw = ins.getKeyword();
    if (kw === "ARG" && stages.length === 0) {
      const [name, value] = ins.getArgumentsContent().trim().split("=");
      args[name] = value;
    } else if (kw === "FROM") {
      const image = ins.getImage().replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a || b] ?? "");
      stages.push({ name: ins.getBuildStage(), base: image, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

export function dockerfileProblems(repoRoot, name, text) {
  const spec = IMAGES[name];
  const problems = [];
  for (const d of utils.validate(text)) {
    problems.push(`line ${d.range.start.line + 1}: ${d.severity === 1 ? "error" : "warning"}: ${d.message}`);
  }
  const df = DockerfileParser.parse(text);
  const stages = stagesOf(df);
  if (stages.length < 2) problems.push("not multi-stage");
  if (!/^# syntax=docker\/dockerfile:1/.test(text)) problems.push("no `# syntax=docker/dockerfile:1` line (RUN --mount needs it)");
  const final = stages[stages.length - 1];
  const stageByName = new Map(stages.filter((s) => s.name).map((s) => [s.name, s]));
  const all = (kw) => final.instructions.filter((i) => i.getKeyword() === kw);
  const content = (i) => i.getArgumentsContent() || "";

  // The runtime base: a JRE 17, or CUDA runtime + the JRE copied from a JRE 17 stage.
  if (JDK.test(final.base)) problems.push(`runtime stage on a JDK/build image ${final.base}`);
  if (!JRE17.test(final.base)) {
    if (!spec.gpu) problems.push(`runtime stage on ${final.base}, not eclipse-temurin:17-jre`);
    else {
      if (!/^nvidia\/cuda:[0-9.]+-(cudnn-)?runtime-ubuntu[0-9.]+$/.test(final.base)) problems.push(`GPU runtime stage on ${final.base}, not an nvidia/cuda runtime image`);
      const jreCopy = all("COPY").find((c) => c.getFromFlag() && JRE17.test(stageByName.get(c.getFromFlag().getValue())?.base || "") && /\/opt\/java\/openjdk/.test(content(c)));
      if (!jreCopy) problems.push("GPU runtime stage does not copy /opt/java/openjdk from an eclipse-temurin:17-jre stage");
    }
  }
  // Non-root numeric user, set last.
  const users = all("USER").map((u) => content(u).trim());
  const lastUser = users[users.length - 1];
  if (!lastUser) problems.push("no USER in the runtime stage");
  else if (!/^[1-9][0-9]*(:[1-9][0-9]*)?$/.test(lastUser)) problems.push(`USER ${lastUser} is not a numeric non-root uid`);
  // No build tools.
  for (const run of all("RUN")) {
    const cmd = content(run);
    const installs = cmd.match(/(apt-get|apt|apk|yum|dnf|microdnf)\s+(-\S+\s+)*(install|add)\b[^&;|]*/g) || [];
    for (const install of installs) {
      const tool = install.match(BUILD_TOOLS);
      if (tool) problems.push(`runtime stage installs a build tool: ${tool[0]}`);
    }
    if (/\b(mvnw?|javac|gradlew?|npm|pip)\b/.test(cmd)) problems.push(`runtime stage runs a build: ${cmd.slice(0, 80)}`);
  }
  for (const copy of [...all("COPY"), ...all("ADD")]) {
    if (!copy.getFromFlag || !copy.getFromFlag()) {
      problems.push(`runtime stage copies from the build context (${content(copy).trim()}): only --from=<stage> results belong there`);
    } else if (!stageByName.has(copy.getFromFlag().getValue())) {
      problems.push(`COPY --from=${copy.getFromFlag().getValue()}: no such stage`);
    }
  }
  // ENTRYPOINT: exec form java -jar /opt/maas/<jar>.
  const entry = all("ENTRYPOINT").pop();
  const argv = entry?.getJSONStrings ? entry.getJSONStrings().map((j) => j.getJSONValue()) : [];
  if (!entry || argv.length === 0) problems.push("no exec-form ENTRYPOINT");
  else {
    if (argv[0] !== "java") problems.push(`ENTRYPOINT runs ${argv[0]}, not java`);
    const jar = argv[argv.indexOf("-jar") + 1];
    if (!argv.includes("-jar") || jar !== `/opt/maas/${spec.jar}`) problems.push(`ENTRYPOINT does not run /opt/maas/${spec.jar}`);
  }
  // HEALTHCHECK: gRPC health with the service's jar on the gRPC port.
  const hc = all("HEALTHCHECK").pop();
  if (!hc) problems.push("no HEALTHCHECK");
  else {
    const h = content(hc);
    const hcFlags = hc.getFlags().map((f) => f.getName());
    if (!/\bCMD\b/.test(h)) problems.push("HEALTHCHECK has no CMD");
    if (!/GrpcHealthCheck/.test(h)) problems.push("HEALTHCHECK does not call GrpcHealthCheck (gRPC health)");
    if (!h.includes(`-cp /opt/maas/${spec.jar}:/opt/maas/healthcheck`)) problems.push(`HEALTHCHECK does not run on /opt/maas/${spec.jar}`);
    if (!h.includes(`\${${spec.grpcPortVar}:-${spec.grpcPort}}`)) problems.push(`HEALTHCHECK does not probe \${${spec.grpcPortVar}:-${spec.grpcPort}}`);
    if (!hcFlags.includes("interval") || !hcFlags.includes("timeout")) problems.push("HEALTHCHECK without --interval and --timeout");
  }
  // Ports.
  const exposed = all("EXPOSE").flatMap((e) => content(e).trim().split(/\s+/));
  if (exposed.sort().join(" ") !== [...spec.ports].sort().join(" ")) problems.push(`EXPOSE ${exposed.join(" ")}, expected ${spec.ports.join(" ")}`);
  // Build stage: the module's jar, the GPU profile, the probe compiled against the jar.
  const buildText = stages.slice(0, -1).flatMap((s) => s.instructions.map((i) => `${i.getKeyword()} ${content(i)}`)).join("\n");
  if (!new RegExp(`-pl ${spec.module}\\b`).test(buildText)) problems.push(`the build stage does not build -pl ${spec.module}`);
  if (Boolean(spec.gpu) !== /-Pgpu\b/.test(buildText)) problems.push(spec.gpu ? "the GPU image is not built with -Pgpu" : "a CPU image built with -Pgpu");
  if (!buildText.includes(`${spec.module}/target/${spec.jar}`)) problems.push(`the build stage does not take ${spec.module}/target/${spec.jar}`);
  if (!/javac --release 17 -cp \/out\/\S+\.jar -d \/out\/healthcheck deploy\/healthcheck\/GrpcHealthCheck\.java/.test(buildText)) problems.push("the health probe is not compiled against the jar in the build stage");
  if (!fs.existsSync(path.join(repoRoot, "deploy/healthcheck/GrpcHealthCheck.java"))) problems.push("deploy/healthcheck/GrpcHealthCheck.java is missing");
  if (!final.instructions.some((i) => i.getKeyword() === "COPY" && /\/out\/?\s+\/opt\/maas\/?/.test(content(i)))) problems.push("the runtime stage does not copy the build's /out into /opt/maas");
  // .dockerignore beside the Dockerfile.
  const ignore = path.join(repoRoot, "deploy", `${name}.Dockerfile.dockerignore`);
  if (!fs.existsSync(ignore)) problems.push(`no ${path.relative(repoRoot, ignore)}`);
  else {
    const lines = fs.readFileSync(ignore, "utf8").split("\n").map((l) => l.trim());
    for (const needed of [".git", "**/target/"]) if (!lines.includes(needed)) problems.push(`${path.basename(ignore)} does not exclude ${needed}`);
  }
  return problems;
}

export async function checkDockerfiles({ repoRoot, log }) {
  let failures = 0;
  const found = fs.readdirSync(path.join(repoRoot, "deploy")).filter((f) => f.endsWith(".Dockerfile"));
  for (const name of Object.keys(IMAGES)) {
    if (!found.includes(`${name}.Dockerfile`)) {
      log(`  FAIL deploy/${name}.Dockerfile is missing`);
      failures++;
    }
  }
  for (const file of found) {
    const name = file.replace(/\.Dockerfile$/, "");
    if (!IMAGES[name]) {
      log(`  FAIL deploy/${file}: no rules for this image (add it to IMAGES in lib/dockerfiles.mjs)`);
      failures++;
      continue;
    }
    const problems = dockerfileProblems(repoRoot, name, fs.readFileSync(path.join(repoRoot, "deploy", file), "utf8"));
    for (const p of problems) log(`  FAIL deploy/${file}: ${p}`);
    if (!problems.length) log(`  ok   deploy/${file}`);
    failures += problems.length;
  }
  return failures;
}
