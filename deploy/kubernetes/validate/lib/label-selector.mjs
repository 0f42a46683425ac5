// Kubernetes' label selector semantics (matchLabels and matchExpressions), for the checks a schema cannot make.
export function selects(selector, labels = {}) {
  if (!selector || typeof selector !== "object") return false;
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false; // selects nothing useful
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return expressions.every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In": return key in labels && values.includes(labels[key]);
      case "NotIn": return !(key in labels) || !values.includes(labels[key]);
      case "Exists": return key in labels;
      case "DoesNotExist": return !(key in labels);
      default: return false;
    }
  });
}

/** A Service's selector: a plain map of labels. */
export function selectsByMap(map, labels = {}) {
  return !!map && Object.keys(map).length > 0 && Object.entries(map).every(([k, v]) => labels[k] === v);
}
