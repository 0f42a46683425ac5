// The object against Kubernetes' own OpenAPI schema of its kind, as compiled by kubernetes-models: types, formats,
// enums and required fields. An apiVersion or kind that Kubernetes does not have is an error here too.
// Returns { known: whether Kubernetes has this apiVersion and kind, problems }.
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

export async function schemaProblems(object) {
  const { apiVersion, kind } = object ?? {};
  if (typeof apiVersion !== "string" || !API_VERSION.test(apiVersion)) {
    return { known: false, problems: [`apiVersion ${JSON.stringify(apiVersion)} is not a Kubernetes API version`] };
  }
  let group;
  try {
    group = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    return { known: false, problems: [`unknown apiVersion ${apiVersion} (not among the APIs of kubernetes-models)`] };
  }
  const Model = group[kind];
  if (typeof Model !== "function" || Model.kind !== kind) {
    return { known: false, problems: [`unknown kind ${JSON.stringify(kind)} in ${apiVersion}`] };
  }
  try {
    new Model(object).validate();
    return { known: true, problems: [] };
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    return { known: true, problems: error.errors.map((e) => `${pathOf(e.instancePath) || "(object)"}: ${e.message}`) };
  }
}

function pathOf(instancePath) {
  return instancePath.split("/").slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}
