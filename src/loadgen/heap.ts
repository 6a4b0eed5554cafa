/** Something that happens at a time; the heap orders by `at`. */
export interface Timed {
  at: number;
}

/**
 * A binary min-heap on `at`. One heap schedules every simulated user, so a
 * run costs O(log n) per event instead of one timer per user.
 */
export class MinHeap<T extends Timed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest item, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= item.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top !== undefined && items.length > 0) this.siftDown(last!);
    return top;
  }

  /**
   * Puts the earliest item back after its `at` moved later: cheaper than
   * pop and push, and how a user's next view is scheduled.
   */
  rescheduleTop(): void {
    if (this.items.length > 0) this.siftDown(this.items[0]!);
  }

  private siftDown(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= item.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}
