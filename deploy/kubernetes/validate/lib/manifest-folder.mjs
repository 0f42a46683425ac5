// Reads a folder of manifests the way `kubectl apply -k` would see it, for the parts of kustomize this project uses:
// the kustomization's resources with its namespace, configMapGenerator (env files and literals) and images applied.
// Anything else in a kustomization is refused rather than silently left unrendered. YAML files of the folder that the
// kustomization does not list are checked too: `*.example.yaml` stand for objects the operator creates (the Secret),
// and take part in the kustomization's cross-references; any other file is a set of its own (postgres-dev.yaml).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { Manifest } from "./manifest.mjs";
import { podTemplateOf, containersOf } from "./pod-templates.mjs";

const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "namespace", "resources", "configMapGenerator", "images"]);
const GENERATOR_FIELDS = new Set(["name", "envs", "literals"]);
const IMAGE_FIELDS = new Set(["name", "newName", "newTag", "digest"]);
// Kinds without a namespace, among those a project like this one may ship; kustomize leaves them alone.
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
  "PriorityClass", "CustomResourceDefinition", "IngressClass", "RuntimeClass"]);
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

export class ManifestFolder {
  constructor(folder) {
    this.folder = folder;
    this.problems = []; // about files and the kustomization itself, not about one object
    this.applied = []; // what `kubectl apply -k` sends
    this.examples = []; // *.example.yaml
    this.standalone = []; // [file, Manifest[]] for every other YAML file
    this.#load();
  }

  #load() {
    const kustomizationFile = path.join(this.folder, "kustomization.yaml");
    if (!existsSync(kustomizationFile)) {
      this.problems.push(`no kustomization.yaml in ${this.folder}`);
      return;
    }
    const [kustomization] = this.#read("kustomization.yaml").map((m) => m.object);
    if (!isObject(kustomization)) {
      this.problems.push("kustomization.yaml: not a mapping");
      return;
    }
    this.#checkKustomization(kustomization);
    const listed = new Set();
    for (const resource of kustomization.resources ?? []) {
      if (typeof resource !== "string" || !existsSync(path.join(this.folder, resource))) {
        this.problems.push(`kustomization.yaml: resource ${JSON.stringify(resource)} is not a file in ${this.folder}`);
        continue;
      }
      listed.add(resource);
      this.applied.push(...this.#read(resource));
    }
    this.applied.push(...this.#generateConfigMaps(kustomization.configMapGenerator ?? []));
    for (const manifest of this.applied) {
      if (kustomization.namespace && isObject(manifest.object) && !CLUSTER_SCOPED.has(manifest.kind)) {
        manifest.object.metadata = { ...(manifest.object.metadata ?? {}), namespace: kustomization.namespace };
      }
    }
    this.#setImages(kustomization.images ?? []);

    const others = readdirSync(this.folder)
      .filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml" && !listed.has(f))
      .sort();
    for (const file of others) {
      if (file.endsWith(".example.yaml")) {
        this.examples.push(...this.#read(file));
      } else {
        this.standalone.push([file, this.#read(file)]);
      }
    }
  }

  #checkKustomization(kustomization) {
    if (kustomization.apiVersion !== "kustomize.config.k8s.io/v1beta1" || kustomization.kind !== "Kustomization") {
      this.problems.push("kustomization.yaml: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization");
    }
    for (const field of Object.keys(kustomization)) {
      if (!KUSTOMIZATION_FIELDS.has(field)) {
        this.problems.push(`kustomization.yaml: "${field}" is not rendered by this validator; teach lib/manifest-folder.mjs about it`);
      }
    }
    for (const generator of kustomization.configMapGenerator ?? []) {
      for (const field of Object.keys(generator)) {
        if (!GENERATOR_FIELDS.has(field)) this.problems.push(`kustomization.yaml: configMapGenerator field "${field}" is not rendered by this validator`);
      }
    }
    for (const image of kustomization.images ?? []) {
      for (const field of Object.keys(image)) {
        if (!IMAGE_FIELDS.has(field)) this.problems.push(`kustomization.yaml: images field "${field}" is unknown`);
      }
    }
  }

  #read(file) {
    const text = readFileSync(path.join(this.folder, file), "utf8");
    // YAML 1.1 as kubectl reads it: an unquoted on/yes/no is a boolean there, and then the schema check catches it.
    const documents = parseAllDocuments(text, { version: "1.1", uniqueKeys: true, prettyErrors: true });
    const manifests = [];
    documents.forEach((document, index) => {
      for (const error of document.errors) {
        this.problems.push(`${file}: ${error.message}`);
      }
      const object = document.toJS();
      if (object !== null && object !== undefined) {
        manifests.push(new Manifest(file, index, object));
      }
    });
    return manifests;
  }

  #generateConfigMaps(generators) {
    return generators.map((generator) => {
      const data = {};
      for (const envFile of generator.envs ?? []) {
        const lines = readFileSync(path.join(this.folder, envFile), "utf8").split(/\r?\n/);
        lines.forEach((line, i) => {
          if (line.trim() === "" || line.trimStart().startsWith("#")) return;
          const equals = line.indexOf("=");
          if (equals <= 0) {
            this.problems.push(`${envFile}:${i + 1}: expected KEY=value`);
            return;
          }
          data[line.slice(0, equals)] = line.slice(equals + 1);
        });
      }
      for (const literal of generator.literals ?? []) {
        const equals = String(literal).indexOf("=");
        if (equals <= 0) this.problems.push(`kustomization.yaml: literal ${JSON.stringify(literal)} is not KEY=value`);
        else data[literal.slice(0, equals)] = literal.slice(equals + 1);
      }
      for (const key of Object.keys(data)) {
        if (!CONFIG_MAP_KEY.test(key)) this.problems.push(`configMapGenerator ${generator.name}: "${key}" is not a valid ConfigMap key`);
      }
      // The real name gets a hash suffix, and kustomize rewrites every reference to it; the plain name stands for both.
      const object = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: generator.name }, data };
      return new Manifest(`configMapGenerator ${generator.name}`, 0, object);
    });
  }

  #setImages(images) {
    for (const image of images) {
      let used = false;
      for (const manifest of this.applied) {
        for (const container of containersOf(podTemplateOf(manifest.object)?.spec)) {
          const reference = parseImage(container.image);
          if (reference?.name !== image.name) continue;
          used = true;
          const name = image.newName ?? reference.name;
          container.image = image.digest ? `${name}@${image.digest}` : `${name}:${image.newTag ?? reference.tag ?? "latest"}`;
        }
      }
      if (!used) this.problems.push(`kustomization.yaml: images entry ${image.name} matches no container's image`);
    }
  }
}

function parseImage(image) {
  if (typeof image !== "string") return null;
  const [withoutDigest] = image.split("@");
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) } : { name: withoutDigest };
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
