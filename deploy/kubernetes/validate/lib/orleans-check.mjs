// What SpotifySync's silo (SpotifySync.Silo: SiloHostOptions, KubernetesPod, KubernetesHostingValidator) and Orleans'
// Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes 10.4.2, read from its source) need from the manifests.
// A silo pod is one whose container sets Orleans__KubernetesHosting=true. Returns [manifest, message] pairs.
import { podTemplateOf, containersOf } from "./pod-templates.mjs";
import { environmentValue } from "./environment.mjs";

const CLUSTER_ID_LABEL = "orleans/clusterId";
const SERVICE_ID_LABEL = "orleans/serviceId";
// KubernetesClusterAgent: get and patch its own pod (labels), list and watch the cluster's pods. `delete` only with
// DeleteDefunctSiloPods, which SpotifySync leaves off.
const AGENT_VERBS = ["get", "list", "watch", "patch"];
// SiloHostOptions' defaults (the API uses the same), and Orleans:ShutdownTimeout's.
const DEFAULT_IDENTITY = "spotifysync";
const DEFAULT_SHUTDOWN_SECONDS = 25;
// Kubernetes' default terminationGracePeriodSeconds.
const DEFAULT_GRACE_SECONDS = 30;
const POD_VARIABLES = { POD_NAME: "metadata.name", POD_NAMESPACE: "metadata.namespace", POD_IP: "status.podIP" };

export function orleansProblems(manifests) {
  const problems = [];
  const report = (manifest, message) => problems.push([manifest, message]);
  const workloads = manifests.filter((m) => podTemplateOf(m.object));
  const value = (name, container, workload) =>
    environmentValue(name, container, podTemplateOf(workload.object), manifests, workload.namespace);
  const silos = [];

  for (const workload of workloads) {
    const template = podTemplateOf(workload.object);
    const container = containersOf(template.spec).find((c) => String(value("Orleans__KubernetesHosting", c, workload)).toLowerCase() === "true");
    if (!container) continue;
    silos.push(workload);
    const labels = template.metadata?.labels ?? {};
    for (const label of [CLUSTER_ID_LABEL, SERVICE_ID_LABEL]) {
      if (!labels[label]) report(workload, `silo pods need the label ${label}: Orleans' Kubernetes hosting finds the cluster's pods by it`);
    }
    for (const [variable, fieldPath] of Object.entries(POD_VARIABLES)) {
      const entry = (container.env ?? []).find((e) => e.name === variable);
      if (entry?.valueFrom?.fieldRef?.fieldPath !== fieldPath) {
        report(workload, `container ${container.name ?? "(unnamed)"}: ${variable} must come from the downward API's ${fieldPath}`);
      }
    }
    checkIdentity(workload, container, "ORLEANS_CLUSTER_ID", "Orleans__ClusterId", CLUSTER_ID_LABEL);
    checkIdentity(workload, container, "ORLEANS_SERVICE_ID", "Orleans__ServiceId", SERVICE_ID_LABEL);
    if (value("Orleans__AdvertisedIPAddress", container, workload)) {
      report(workload, `container ${container.name ?? "(unnamed)"}: Orleans__AdvertisedIPAddress must stay unset with Kubernetes hosting (the silo advertises POD_IP)`);
    }
    if (template.spec?.automountServiceAccountToken === false) {
      report(workload, "silo pods need their service account token: Orleans' Kubernetes hosting calls the Kubernetes API");
    }
    checkRole(workload, template.spec?.serviceAccountName ?? "default");
    const shutdown = seconds(value("Orleans__ShutdownTimeout", container, workload)) ?? DEFAULT_SHUTDOWN_SECONDS;
    const grace = template.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    if (grace <= shutdown) {
      report(workload, `terminationGracePeriodSeconds (${grace}) must exceed Orleans:ShutdownTimeout (${shutdown} s), or silos are killed while leaving`);
    }
  }

  for (const workload of workloads.filter((w) => !silos.includes(w))) {
    const template = podTemplateOf(workload.object);
    const labels = template.metadata?.labels ?? {};
    if (labels[CLUSTER_ID_LABEL] || labels[SERVICE_ID_LABEL]) {
      report(workload, `only silo pods may carry ${CLUSTER_ID_LABEL}/${SERVICE_ID_LABEL}: Orleans' Kubernetes hosting takes every such pod for a silo`);
    }
    // Orleans clients (the API) must look for the cluster the silos form.
    for (const container of containersOf(template.spec)) {
      for (const [key, label] of [["Orleans__ClusterId", CLUSTER_ID_LABEL], ["Orleans__ServiceId", SERVICE_ID_LABEL]]) {
        const configured = value(key, container, workload);
        if (configured === undefined || configured === null) continue;
        for (const silo of silos.filter((s) => s.namespace === workload.namespace)) {
          const expected = podTemplateOf(silo.object).metadata?.labels?.[label];
          if (expected && configured !== expected) {
            report(workload, `container ${container.name ?? "(unnamed)"}: ${key} is ${JSON.stringify(configured)}, the silos of ${silo.describe()} are ${JSON.stringify(expected)}`);
          }
        }
      }
    }
  }
  return problems;

  function checkIdentity(workload, container, podVariable, key, label) {
    const expected = podTemplateOf(workload.object).metadata?.labels?.[label];
    if (!expected) return;
    // null: set, but from something the manifests cannot resolve (reference-check reports a missing label or key).
    const fromPod = value(podVariable, container, workload);
    if (fromPod !== undefined && fromPod !== null && fromPod !== expected) {
      report(workload, `container ${container.name ?? "(unnamed)"}: ${podVariable} should come from the label ${label} (${JSON.stringify(expected)}), not ${JSON.stringify(fromPod)}`);
    }
    const set = value(key, container, workload);
    const configured = set === undefined ? DEFAULT_IDENTITY : set;
    if (configured !== null && configured !== expected) {
      report(workload, `container ${container.name ?? "(unnamed)"}: ${key} is ${JSON.stringify(configured)} but the pods' label ${label} is ${JSON.stringify(expected)}; the silo refuses to start`);
    }
  }

  function checkRole(workload, serviceAccount) {
    const namespace = workload.namespace;
    const roles = manifests
      .filter((m) => m.kind === "RoleBinding" && m.namespace === namespace && m.object.roleRef?.kind === "Role")
      .filter((m) => (m.object.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === serviceAccount && s.namespace === namespace))
      .map((m) => manifests.find((r) => r.kind === "Role" && r.namespace === namespace && r.name === m.object.roleRef.name))
      .filter(Boolean);
    const verbs = new Set();
    for (const role of roles) {
      for (const rule of role.object.rules ?? []) {
        if ((rule.apiGroups ?? []).includes("") && (rule.resources ?? []).some((r) => r === "pods" || r === "*")) {
          for (const verb of rule.verbs ?? []) verbs.add(verb);
        }
      }
    }
    const missing = verbs.has("*") ? [] : AGENT_VERBS.filter((v) => !verbs.has(v));
    if (missing.length > 0) {
      report(workload, `service account ${serviceAccount} lacks ${missing.join(", ")} on pods in ${namespace}; Orleans' Kubernetes hosting needs ${AGENT_VERBS.join(", ")}`);
    }
    const extra = [...verbs].filter((v) => !AGENT_VERBS.includes(v));
    if (extra.length > 0) {
      report(workload, `service account ${serviceAccount} may also ${extra.join(", ")} pods, which Orleans' Kubernetes hosting does not use`);
    }
  }
}

// "00:00:25" or "1.00:00:00" (a .NET TimeSpan) in seconds; null for anything else.
function seconds(timeSpan) {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timeSpan ?? "");
  return match ? Number(match[1] ?? 0) * 86400 + Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]) : null;
}
