// Unknown fields: Kubernetes' OpenAPI schemas do not forbid them, so a misspelt field (`replcas`, `readinesProbe`)
// passes a schema check and is then dropped by the API server. The official client's models list every field of every
// type (generated from the same OpenAPI document); anything else in the object is reported with its path.
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

export function unknownFieldProblems(object) {
  const type = modelName(object?.apiVersion, object?.kind);
  if (!models[type]?.getAttributeTypeMap) {
    return [`no field list for ${object?.apiVersion} ${object?.kind} (expected a model ${type} in @kubernetes/client-node)`];
  }
  const problems = [];
  walk(object, type, "", problems);
  return problems;
}

// apps/v1 Deployment -> V1Deployment, policy/v1 PodDisruptionBudget -> V1PodDisruptionBudget.
function modelName(apiVersion, kind) {
  const version = String(apiVersion).split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
}

function walk(value, type, path, problems) {
  if (value === null || value === undefined) return;
  let match;
  if ((match = ARRAY.exec(type))) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, match[1], `${path}[${i}]`, problems));
    return;
  }
  if ((match = MAP.exec(type))) {
    if (isObject(value)) for (const [key, item] of Object.entries(value)) walk(item, match[1], `${path}[${JSON.stringify(key)}]`, problems);
    return;
  }
  // Strings, numbers, IntOrString, free-form objects: their types are the schema check's business.
  const model = models[type];
  if (!model?.getAttributeTypeMap || !isObject(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]));
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (fields.has(key)) walk(item, fields.get(key), itemPath, problems);
    else problems.push(`${itemPath}: unknown field in ${type}${suggestion(key, [...fields.keys()])}`);
  }
}

function suggestion(key, known) {
  const near = known.filter((k) => k.toLowerCase() === key.toLowerCase() || distance(k, key) <= 2);
  return near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "";
}

// Levenshtein distance, for the suggestion only.
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
