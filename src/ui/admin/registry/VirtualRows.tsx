/**
 * A table body that renders only the rows in view (plus a few either side), so a registry of tens
 * of thousands of sites and devices scrolls as lightly as one of fifty. Rows have a fixed height
 * (the CSS gives `tr` the same), spacer rows stand for the rest.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

/** Rows drawn beyond the visible ones on each side, so fast scrolling shows no gap. */
const OVERSCAN = 12;

export interface VirtualRowsProps<T> {
  rows: readonly T[];
  /** Each row's height, px; must match the CSS. */
  rowPx: number;
  /** The table's `<thead>` content and its `<colgroup>`. */
  head: ReactNode;
  cols?: ReactNode;
  render(row: T, index: number): ReactNode;
  className?: string;
  testId?: string;
}

export function VirtualRows<T>({ rows, rowPx, head, cols, render, className, testId }: VirtualRowsProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [heightPx, setHeightPx] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeightPx(el.clientHeight || 600);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // A new filter: back to the top, or the window may point past the end.
  useEffect(() => {
    if (ref.current && top > rows.length * rowPx) {
      ref.current.scrollTop = 0;
      setTop(0);
    }
  }, [rows.length, rowPx, top]);

  const first = Math.max(0, Math.floor(top / rowPx) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + heightPx) / rowPx) + OVERSCAN);
  return (
    <div ref={ref} className={`virtual-scroll ${className ?? ''}`} data-testid={testId} data-rows={rows.length} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
      <table className="admin-table virtual-table">
        {cols}
        <thead>{head}</thead>
        <tbody>
          {first > 0 && <tr aria-hidden className="spacer" style={{ height: first * rowPx }} />}
          {rows.slice(first, last).map((r, i) => render(r, first + i))}
          {last < rows.length && <tr aria-hidden className="spacer" style={{ height: (rows.length - last) * rowPx }} />}
        </tbody>
      </table>
    </div>
  );
}
