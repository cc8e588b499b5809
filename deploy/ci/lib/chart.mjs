// helm lint + helm template for every scenario of scenarios.yaml, each rendered
// object validated; the refused values must fail with their message.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import yaml from "js-yaml";
import { buildIndex } from "./strict-fields.mjs";
import { chartProblems, schemaProblems } from "./manifests.mjs";
import { serviceFlags } from "./flags.mjs";
import { cliProblems, cliVocabulary } from "./cli.mjs";

function helm(helmBin, args, cwd) {
  const r = spawnSync(helmBin, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr + (r.error ? String(r.error) : "") };
}

function valueArgs(repoRoot, s) {
  const args = [];
  for (const v of s.values || []) args.push("-f", path.join(repoRoot, v));
  for (const v of s.set || []) args.push("--set", v);
  return args;
}

export async function checkChart({ repoRoot, helmBin, outDir, nodeModules, log }) {
  const scenarios = yaml.load(fs.readFileSync(path.join(repoRoot, "deploy/ci/scenarios.yaml"), "utf8"));
  const chart = path.join(repoRoot, scenarios.chart);
  const index = buildIndex([
    path.join(nodeModules, "kubernetes-models"),
    path.join(nodeModules, "@kubernetes-models/apimachinery"),
    path.join(nodeModules, "@kubernetes-models/prometheus-operator"),
  ]);
  const flags = serviceFlags(repoRoot);
  const cli = cliVocabulary(repoRoot);
  if (!cli) log("  note: no cli/ sources: the maas commands in NOTES.txt and docs/kubernetes.md are not checked");
  else {
    const docProblems = cliProblems(cli, fs.readFileSync(path.join(repoRoot, "docs/kubernetes.md"), "utf8"), "docs/kubernetes.md");
    for (const p of docProblems) fail(p);
    if (!docProblems.length) log("  ok   docs/kubernetes.md: its maas commands exist in the CLI");
  }
  fs.mkdirSync(outDir, { recursive: true });
  let failures = 0;
  const fail = (msg) => {
    failures++;
    log(`  FAIL ${msg}`);
  };

  for (const s of scenarios.scenarios) {
    const args = valueArgs(repoRoot, s);
    const lint = helm(helmBin, ["lint", "--strict", chart, ...args], repoRoot);
    if (!lint.ok || /\[(WARNING|ERROR)\]/.test(lint.out)) fail(`${s.name}: helm lint --strict\n${lint.out}${lint.err}`);
    const render = helm(helmBin, ["template", s.release, chart, "--namespace", "maas", ...args], repoRoot);
    if (!render.ok) {
      fail(`${s.name}: helm template\n${render.err}`);
      continue;
    }
    const file = path.join(outDir, `${s.name}.yaml`);
    fs.writeFileSync(file, render.out);
    let objects;
    try {
      objects = yaml.loadAll(render.out).filter((o) => o && typeof o === "object");
    } catch (e) {
      fail(`${s.name}: rendered YAML does not parse: ${e.message}`);
      continue;
    }
    const problems = [];
    for (const o of objects) problems.push(...(await schemaProblems(index, o)));
    problems.push(...chartProblems(objects, s, flags));
    // NOTES.txt renders too (helm template leaves it out; install shows it).
    const notes = helm(helmBin, ["install", s.release, chart, "--dry-run=client", "--namespace", "maas", ...args], repoRoot);
    if (!notes.ok || !/maas tenant create/.test(notes.out) || !/maas key create/.test(notes.out)) {
      problems.push(`NOTES.txt does not render with the first-tenant commands: ${notes.err.slice(0, 400)}`);
    } else if (cli) {
      problems.push(...cliProblems(cli, notes.out, "NOTES.txt"));
    }
    for (const p of problems) fail(`${s.name}: ${p}`);
    log(`  ${problems.length ? "FAIL" : "ok  "} ${s.name}: helm lint, helm template, ${objects.length} objects checked, ${problems.length} problems (${file})`);
  }

  for (const r of scenarios.refused) {
    const res = helm(helmBin, ["template", "refused", chart, ...valueArgs(repoRoot, r)], repoRoot);
    if (res.ok) fail(`refused "${r.name}": the chart rendered it`);
    else if (!res.err.includes(r.error)) fail(`refused "${r.name}": message lacks "${r.error}":\n${res.err}`);
    else log(`  ok   refused ${r.name}`);
  }
  return failures;
}
