// deploy/ci/validate.sh's checks that need Node:
//   node validate.mjs chart HELM OUT_DIR   helm lint/template of scenarios.yaml, manifests validated
//   node validate.mjs dockerfiles           deploy/*.Dockerfile linted and held to the image rules
//   node validate.mjs compose               deploy/compose.yaml against the Compose schema and flags
//   node validate.mjs images                the images' ENTRYPOINT and HEALTHCHECK rehearsed on the built jars
// Exits 1 when anything fails.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkChart } from "./lib/chart.mjs";
import { checkDockerfiles } from "./lib/dockerfiles.mjs";
import { checkCompose } from "./lib/compose.mjs";
import { rehearseImages } from "./lib/rehearsal.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const nodeModules = path.join(here, "node_modules");
const log = (line) => console.log(line);

const [command, ...rest] = process.argv.slice(2);
let failures;
try {
  switch (command) {
    case "chart":
      failures = await checkChart({ repoRoot, helmBin: rest[0], outDir: path.resolve(rest[1]), nodeModules, log });
      break;
    case "dockerfiles":
      failures = await checkDockerfiles({ repoRoot, log });
      break;
    case "compose":
      failures = await checkCompose({ repoRoot, log });
      break;
    case "images":
      failures = await rehearseImages({ repoRoot, log });
      break;
    default:
      console.error("usage: node validate.mjs chart HELM OUT_DIR | dockerfiles | compose | images");
      process.exit(2);
  }
} catch (e) {
  console.error(`${command}: ${e.stack || e}`);
  process.exit(1);
}
process.exit(failures ? 1 : 0);
