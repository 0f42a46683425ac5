// Where the pods of a workload are described, whatever the workload's kind.
const TEMPLATED = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]);

/** The pod template of a workload ({ metadata, spec }), or null for anything that runs no pods. */
export function podTemplateOf(object) {
  if (!object || typeof object !== "object") return null;
  if (TEMPLATED.has(object.kind)) return object.spec?.template ?? null;
  if (object.kind === "CronJob") return object.spec?.jobTemplate?.spec?.template ?? null;
  if (object.kind === "Pod") return object;
  return null;
}

export function containersOf(podSpec) {
  if (!podSpec) return [];
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].filter((c) => c && typeof c === "object");
}
