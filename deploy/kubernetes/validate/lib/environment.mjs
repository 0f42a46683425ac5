// The value a container's environment variable gets, as far as the manifests tell: a literal, a ConfigMap's or an
// example Secret's key, a pod label through the downward API. `undefined` when the variable is not set at all,
// `null` when it is set but only known at run time (the pod's name or IP).
import { Buffer } from "node:buffer";

const LABEL = /^metadata\.labels\['([^']+)'\]$/;

export function environmentValue(name, container, template, manifests, namespace) {
  const find = (kind, objectName) => manifests.find((m) => m.kind === kind && m.name === objectName && m.namespace === namespace)?.object;
  const entries = (container.env ?? []).filter((e) => e.name === name);
  if (entries.length > 0) {
    // Variables listed in env win over envFrom; of two entries with one name, the last counts.
    const entry = entries[entries.length - 1];
    const from = entry.valueFrom;
    if (!from) return String(entry.value ?? "");
    if (from.configMapKeyRef) return find("ConfigMap", from.configMapKeyRef.name)?.data?.[from.configMapKeyRef.key] ?? null;
    if (from.secretKeyRef) return secretValue(find("Secret", from.secretKeyRef.name), from.secretKeyRef.key);
    const label = LABEL.exec(from.fieldRef?.fieldPath ?? "");
    if (label) return template.metadata?.labels?.[label[1]] ?? null;
    return null;
  }
  // Of several envFrom sources holding the key, the last one counts.
  for (const source of [...(container.envFrom ?? [])].reverse()) {
    const prefix = source.prefix ?? "";
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    if (source.configMapRef) {
      const value = find("ConfigMap", source.configMapRef.name)?.data?.[key];
      if (value !== undefined) return value;
    }
    if (source.secretRef) {
      const value = secretValue(find("Secret", source.secretRef.name), key);
      if (value !== null) return value;
    }
  }
  return undefined;
}

function secretValue(secret, key) {
  if (secret?.stringData?.[key] !== undefined) return String(secret.stringData[key]);
  if (secret?.data?.[key] !== undefined) return Buffer.from(String(secret.data[key]), "base64").toString("utf8");
  return null;
}
