/** Dense indices for string ids, in first-seen order: the engine works on numbers, the ids come back for the answer. */
export class Interner {
  readonly ids: string[] = [];
  readonly index = new Map<string, number>();
  get(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }
}
