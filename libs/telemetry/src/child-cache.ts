/**
 * Bound label children, created once per label tuple. prom-client's `labels()` validates the values
 * and allocates a new child on every call; the per-batch path should do neither.
 */
export class ChildCache<L extends readonly string[], C> {
  private readonly children = new Map<string, C>();

  constructor(private readonly bind: (...labels: L) => C) {}

  get(...labels: L): C {
    // NUL cannot appear in a topic name or any of our label values, so keys never collide.
    const key = labels.join('\u0000');
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.bind(...labels);
      this.children.set(key, child);
    }
    return child;
  }

  delete(...labels: L): void {
    this.children.delete(labels.join('\u0000'));
  }
}
