/**
 * A scrolling list (`<ol>`/`<ul>` of `<li>` rows) that, once long, draws only the rows in view and
 * a few either side (@tanstack/react-virtual): a city's thousand alarms or 2,814 spaces cost what
 * twenty do, on every clock tick and live frame, where drawn whole they kept the page's main thread
 * busy at rest. Each drawn row is measured as it is laid out, so rows keep their own heights.
 *
 * The rows not drawn are stood for by padding on the list *inside* the scrolling box (`className`,
 * whose CSS gives it its height, `overflow-y: auto`, `padding: 8px` and `gap: 6px`, alarms.css and
 * confined.css). On the scrolling box itself that padding made the box as tall as the whole list
 * (a box is never shorter than its padding), so it did not scroll, the virtualizer saw it all in
 * view, drew every row, and the drawn rows never settled. Short lists are plain.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import './virtualList.css';

/** Lists up to this long are drawn whole (the demo's lists, and the tests that look for a row). */
export const PLAIN_UP_TO = 100;
const PAD_PX = 8;
const GAP_PX = 6;
/** Rows drawn beyond the visible ones on each side, so a quick scroll shows no blank. */
const OVERSCAN = 4;

export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** One row: a single `<li>` with a key. */
  render(item: T): ReactNode;
  /** A typical row's height before it is measured, px. */
  estimatePx: number;
  ordered?: boolean;
  className: string;
  testId?: string;
}

export function VirtualList<T>({ items, keyOf, render, estimatePx, ordered, className, testId }: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement & HTMLOListElement & HTMLUListElement>(null);
  const list = useRef<HTMLOListElement & HTMLUListElement>(null);
  const virtual = items.length > PLAIN_UP_TO;
  const v = useVirtualizer({
    count: virtual ? items.length : 0,
    getScrollElement: () => box.current,
    estimateSize: () => estimatePx,
    getItemKey: (i) => keyOf(items[i]),
    overscan: OVERSCAN,
    paddingStart: PAD_PX,
    paddingEnd: PAD_PX,
    gap: GAP_PX,
    enabled: virtual,
  });
  const rows = virtual ? v.getVirtualItems() : [];
  // Each drawn row is measured (and watched for resizing); the rows are the inner list's children in order.
  useLayoutEffect(() => {
    const el = list.current;
    if (!virtual || !el) return;
    for (let i = 0; i < rows.length && i < el.children.length; i++) {
      const row = el.children[i] as HTMLElement;
      row.dataset.index = String(rows[i].index);
      v.measureElement(row);
    }
  });
  const Tag = ordered ? 'ol' : 'ul';
  if (!virtual) {
    return (
      <Tag ref={box} className={className} data-testid={testId} data-rows={items.length}>
        {items.map(render)}
      </Tag>
    );
  }
  // Within the box's own 8 px padding: the space of the rows above and below those drawn.
  const above = (rows[0]?.start ?? PAD_PX) - PAD_PX;
  const below = Math.max(0, v.getTotalSize() - PAD_PX - (rows.at(-1)?.end ?? 0));
  return (
    <div ref={box} className={className} data-testid={testId} data-rows={items.length} data-virtual="">
      <Tag ref={list} className="virtual-rows" style={{ paddingTop: above, paddingBottom: below }}>
        {rows.map((r) => render(items[r.index]))}
      </Tag>
    </div>
  );
}
