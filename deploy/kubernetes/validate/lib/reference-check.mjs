// What a schema cannot see: whether the objects of one set fit together. Selectors that select their pods, Services
// whose target ports exist, keys of Secrets and ConfigMaps that exist, probes on declared ports, downward-API fields
// Kubernetes offers, service accounts and roles that exist. Returns [manifest, message] pairs.
import { podTemplateOf, containersOf } from "./pod-templates.mjs";
import { selects, selectsByMap } from "./label-selector.mjs";

const CONTROLLERS_WITH_SELECTOR = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);
const FIELD_PATHS = new Set(["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
  "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]);
const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['([^']+)'\]$/;

export function referenceProblems(manifests) {
  const problems = [];
  const report = (manifest, message) => problems.push([manifest, message]);
  const find = (kind, namespace, name) =>
    manifests.find((m) => m.kind === kind && m.name === name && (m.namespace ?? "default") === (namespace ?? "default"));
  const workloads = manifests.filter((m) => podTemplateOf(m.object));

  for (const manifest of manifests) {
    const object = manifest.object;
    const template = podTemplateOf(object);
    if (CONTROLLERS_WITH_SELECTOR.has(manifest.kind) && template && !selects(object.spec?.selector, template.metadata?.labels)) {
      report(manifest, "spec.selector does not select the pod template's labels (spec.template.metadata.labels)");
    }
    if (template) checkPods(manifest, template, find, report);

    if (manifest.kind === "PodDisruptionBudget") {
      const selected = workloads.filter((w) => w.namespace === manifest.namespace && selects(object.spec?.selector, podTemplateOf(w.object).metadata?.labels));
      if (selected.length === 0) report(manifest, "spec.selector selects the pods of no workload in this set");
    }
    if (manifest.kind === "Service" && object.spec?.selector) {
      const selected = workloads.filter((w) => w.namespace === manifest.namespace && selectsByMap(object.spec.selector, podTemplateOf(w.object).metadata?.labels));
      if (selected.length === 0) report(manifest, "spec.selector selects the pods of no workload in this set");
      for (const port of object.spec.ports ?? []) {
        const target = port.targetPort ?? port.port;
        for (const workload of selected) {
          const declared = containersOf(podTemplateOf(workload.object).spec).some((c) => declaresPort(c, target));
          if (!declared) report(manifest, `port ${port.name ?? port.port}: targetPort ${target} is no container port of ${workload.describe()}`);
        }
      }
    }
    if (manifest.kind === "RoleBinding") {
      const roleRef = object.roleRef ?? {};
      if (roleRef.kind === "Role" && !find("Role", manifest.namespace, roleRef.name)) {
        report(manifest, `roleRef: no Role ${roleRef.name} in namespace ${manifest.namespace}`);
      }
      for (const subject of object.subjects ?? []) {
        if (subject.kind !== "ServiceAccount") continue;
        if (!subject.namespace) report(manifest, `subject ServiceAccount ${subject.name} needs a namespace`);
        else if (!find("ServiceAccount", subject.namespace, subject.name) && subject.name !== "default") {
          report(manifest, `subject: no ServiceAccount ${subject.name} in namespace ${subject.namespace}`);
        }
      }
    }
  }
  return problems;
}

function checkPods(manifest, template, find, report) {
  const namespace = manifest.namespace;
  const spec = template.spec ?? {};
  const labels = template.metadata?.labels ?? {};
  const annotations = template.metadata?.annotations ?? {};
  if (spec.serviceAccountName && spec.serviceAccountName !== "default" && !find("ServiceAccount", namespace, spec.serviceAccountName)) {
    report(manifest, `serviceAccountName: no ServiceAccount ${spec.serviceAccountName} in namespace ${namespace}`);
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.secret && !volume.secret.optional) requireObject("Secret", volume.secret.secretName, `volume ${volume.name}`);
    if (volume.configMap && !volume.configMap.optional) requireObject("ConfigMap", volume.configMap.name, `volume ${volume.name}`);
  }
  for (const container of containersOf(spec)) {
    const where = `container ${container.name ?? "(unnamed)"}`;
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !source.configMapRef.optional) requireObject("ConfigMap", source.configMapRef.name, `${where} envFrom`);
      if (source.secretRef && !source.secretRef.optional) requireObject("Secret", source.secretRef.name, `${where} envFrom`);
    }
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom ?? {};
      const at = `${where} env ${variable.name}`;
      if (from.secretKeyRef && !from.secretKeyRef.optional) requireKey("Secret", from.secretKeyRef, at);
      if (from.configMapKeyRef && !from.configMapKeyRef.optional) requireKey("ConfigMap", from.configMapKeyRef, at);
      if (from.fieldRef) {
        const fieldPath = from.fieldRef.fieldPath;
        const keyed = LABEL_OR_ANNOTATION.exec(fieldPath ?? "");
        if (keyed) {
          const source = keyed[1] === "labels" ? labels : annotations;
          if (!(keyed[2] in source)) report(manifest, `${at}: the pod template has no ${keyed[1].slice(0, -1)} ${keyed[2]}`);
        } else if (!FIELD_PATHS.has(fieldPath)) {
          report(manifest, `${at}: fieldRef ${fieldPath} is not a field the downward API offers`);
        }
      }
    }
    for (const probeName of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const probe = container[probeName];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
      if (port !== undefined && !declaresPort(container, port)) {
        report(manifest, `${where} ${probeName}: port ${port} is not among the container's ports`);
      }
    }
  }

  function requireObject(kind, name, at) {
    if (!find(kind, namespace, name)) report(manifest, `${at}: no ${kind} ${name} in namespace ${namespace}`);
  }

  function requireKey(kind, reference, at) {
    const target = find(kind, namespace, reference.name);
    if (!target) {
      report(manifest, `${at}: no ${kind} ${reference.name} in namespace ${namespace}`);
      return;
    }
    const keys = new Set([...Object.keys(target.object.data ?? {}), ...Object.keys(target.object.stringData ?? {}), ...Object.keys(target.object.binaryData ?? {})]);
    if (!keys.has(reference.key)) report(manifest, `${at}: ${kind} ${reference.name} has no key ${reference.key}`);
  }
}

function declaresPort(container, port) {
  return (container.ports ?? []).some((p) => (typeof port === "string" ? p.name === port : p.containerPort === port));
}
