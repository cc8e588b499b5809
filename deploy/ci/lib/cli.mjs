// The maas CLI commands the chart's NOTES.txt and docs/kubernetes.md tell
// users to run, checked against the CLI's sources (cli/), when it is there:
// every command, subcommand and --flag must exist, and every MAAS_* variable
// exported for it must be one of its settings.

import fs from "node:fs";
import path from "node:path";

function javaFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? javaFiles(full) : e.name.endsWith(".java") ? [full] : [];
  });
}

/** The CLI's command names, flags and settings variables; null without cli/. */
export function cliVocabulary(repoRoot) {
  const files = javaFiles(path.join(repoRoot, "cli/src/main/java"));
  if (!files.length) return null;
  const commands = new Set();
  const flags = new Set(["--help", "--version"]);
  const variables = new Set();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/@Command\(\s*name\s*=\s*"([^"]+)"/g)) commands.add(m[1]);
    for (const m of text.matchAll(/names\s*=\s*(\{[^}]*\}|"[^"]*")/g)) {
      for (const q of m[1].match(/"[^"]*"/g) || []) flags.add(q.slice(1, -1));
    }
    if (file.endsWith("GlobalOptions.java")) {
      for (const m of text.matchAll(/names\s*=\s*"--([a-z-]+)"/g)) variables.add("MAAS_" + m[1].replaceAll("-", "_").toUpperCase());
    }
  }
  return { commands, flags, variables };
}

/** Problems of the `maas ...` lines and MAAS_* exports in `text`. */
export function cliProblems(vocabulary, text, where) {
  const problems = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    // A command line: `maas <command> ...` (not prose such as "maas 0.1.0 is ...").
    if (/^maas [a-z][a-z-]*( |$)/.test(line) && !/^maas (is|runs|serves)\b/.test(line)) {
      const words = line.split(/\s+/);
      if (!vocabulary.commands.has(words[1])) problems.push(`${where}: the CLI has no command "maas ${words[1]}"`);
      if (/^[a-z][a-z-]*$/.test(words[2] || "") && ["tenant", "key", "quota", "model", "version"].includes(words[1]) && !vocabulary.commands.has(words[2])) {
        problems.push(`${where}: the CLI has no command "maas ${words[1]} ${words[2]}"`);
      }
      for (const w of words) {
        if (w.startsWith("--") && !vocabulary.flags.has(w.split("=")[0])) problems.push(`${where}: the CLI has no flag ${w.split("=")[0]} (${line})`);
      }
    }
    for (const m of line.matchAll(/export\s+((?:MAAS_[A-Z_]+=\S+\s*)+)/g)) {
      for (const v of m[1].matchAll(/(MAAS_[A-Z_]+)=/g)) {
        if (!vocabulary.variables.has(v[1])) problems.push(`${where}: the CLI reads no ${v[1]}`);
      }
    }
  }
  return problems;
}
