// The command-line flags each service really has, read from its sources, so
// that the chart, the compose file and the docs cannot drift from them.

import fs from "node:fs";
import path from "node:path";

const SOURCES = {
  worker: [
    "worker/src/main/java/dev/maas/worker/Main.java",
    "worker/src/main/java/dev/maas/worker/cluster/ClusterFlags.java",
  ],
  gateway: ["gateway/src/main/java/dev/maas/gateway/Main.java"],
};

/** picocli option names declared in one Java file: names = "--x" or names = {"--x", "-y"}. */
function optionNames(text) {
  const names = new Set();
  const re = /names\s*=\s*(\{[^}]*\}|"[^"]*")/g;
  let m;
  while ((m = re.exec(text))) {
    for (const q of m[1].match(/"[^"]*"/g) || []) names.add(q.slice(1, -1));
  }
  return names;
}

/**
 * Flags by service. The control plane is a Micronaut app: it takes --data-dir
 * (its Application turns it into --maas.data-dir) and any --maas.<setting>=v.
 */
export function serviceFlags(repoRoot) {
  const flags = {};
  for (const [service, files] of Object.entries(SOURCES)) {
    const names = new Set(["--help", "--version", "-h", "-V"]);
    for (const file of files) {
      const full = path.join(repoRoot, file);
      if (!fs.existsSync(full)) throw new Error(`flag source ${file} is missing`);
      for (const name of optionNames(fs.readFileSync(full, "utf8"))) names.add(name);
    }
    if (names.size < 8) throw new Error(`found only ${[...names]} in ${files}: did the sources change shape?`);
    flags[service] = names;
  }
  const app = path.join(repoRoot, "control-plane/src/main/java/dev/maas/controlplane/Application.java");
  if (!fs.readFileSync(app, "utf8").includes('"--data-dir"')) {
    throw new Error("control-plane Application.java no longer maps --data-dir");
  }
  flags["control-plane"] = new Set(["--data-dir"]);
  return flags;
}

/** Problems with `args` (a service's argument list) against its known flags. */
export function checkArgs(flags, service, args, where) {
  const known = flags[service];
  const problems = [];
  for (const arg of args) {
    if (typeof arg !== "string" || !arg.startsWith("-")) continue;
    const name = arg.split("=")[0];
    if (service === "control-plane" && /^--maas\.[a-z0-9.-]+$/.test(name)) continue;
    if (!known.has(name)) problems.push(`${where}: ${service} has no flag ${name}`);
  }
  return problems;
}

/** The value of --name in an argument list (`--name=v` or `--name v`), or undefined. */
export function argValue(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (typeof args[i] === "string" && args[i].startsWith(name + "=")) return args[i].slice(name.length + 1);
  }
  return undefined;
}
