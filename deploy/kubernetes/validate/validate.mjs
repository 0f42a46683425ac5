// Offline validation of a folder of Kubernetes manifests (deploy/kubernetes): no cluster, no network.
//   node validate.mjs <folder>
// Prints every object checked and each problem under it; exits 1 when there is any problem. See lib/ for what is
// checked: Kubernetes' schema of the kind (schema-check), unknown fields (field-check), how the objects fit together
// (reference-check) and what the silo and Orleans' Kubernetes hosting need (orleans-check).
import { performance } from "node:perf_hooks";
import { ManifestFolder } from "./lib/manifest-folder.mjs";
import { schemaProblems } from "./lib/schema-check.mjs";
import { unknownFieldProblems } from "./lib/field-check.mjs";
import { referenceProblems } from "./lib/reference-check.mjs";
import { orleansProblems } from "./lib/orleans-check.mjs";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node validate.mjs <folder with kustomization.yaml>");
  process.exit(2);
}
const started = performance.now();
const manifests = new ManifestFolder(folder);
const problemsOf = new Map();
const add = (manifest, message) => problemsOf.set(manifest, [...(problemsOf.get(manifest) ?? []), message]);

// Objects that are applied together are checked together; an example Secret stands for the one the operator creates.
const sets = [[...manifests.applied, ...manifests.examples], ...manifests.standalone.map(([, set]) => set)];
for (const set of sets) {
  for (const manifest of set) {
    const schema = await schemaProblems(manifest.object);
    for (const message of schema.problems) add(manifest, message);
    if (schema.known) {
      for (const message of unknownFieldProblems(manifest.object)) add(manifest, message);
    }
  }
  for (const [manifest, message] of [...referenceProblems(set), ...orleansProblems(set)]) add(manifest, message);
}

console.log(`${folder}: kustomization renders ${manifests.applied.length} objects; also checked: `
  + `${[...new Set(manifests.examples.map((m) => m.file)), ...manifests.standalone.map(([file]) => file)].join(", ") || "nothing else"}`);
for (const message of manifests.problems) console.log(`FAIL  ${message}`);
let count = manifests.problems.length;
let objects = 0;
for (const set of sets) {
  for (const manifest of set) {
    objects++;
    const problems = problemsOf.get(manifest) ?? [];
    count += problems.length;
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"}  ${manifest.describe()}`);
    for (const problem of problems) console.log(`        ${problem}`);
  }
}
const elapsed = Math.round(performance.now() - started);
console.log(`${objects} objects checked in ${elapsed} ms: ${count === 0 ? "no problems" : `${count} problem(s)`}`);
process.exit(count === 0 ? 0 : 1);
