// One Kubernetes object as the validator sees it: where it came from, and how to name it in a report.
export class Manifest {
  constructor(file, index, object) {
    this.file = file;
    this.index = index;
    this.object = object;
  }

  get kind() {
    return this.object?.kind;
  }

  get name() {
    return this.object?.metadata?.name;
  }

  get namespace() {
    return this.object?.metadata?.namespace;
  }

  describe() {
    const where = this.index > 0 ? `${this.file}#${this.index + 1}` : this.file;
    const name = this.namespace ? `${this.namespace}/${this.name}` : this.name;
    return `${this.kind ?? "(no kind)"} ${name ?? "(no name)"} (${where})`;
  }
}
