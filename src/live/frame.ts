/**
 * Runs a callback at most once per animation frame, on request. requestAnimationFrame does not fire
 * in a hidden tab, so a timer backs it up: live data keeps folding (at the browser's throttled timer
 * rate) and nothing piles up while nobody looks.
 */
export interface FrameLoop {
  /** Asks for one run at the next frame; repeated requests before it coalesce. */
  request(): void;
  /** Runs now, in this task (a pending request is dropped: this run covers it). */
  flush(): void;
  cancel(): void;
}

/** Fallback delay when no frame comes (hidden tab): a few runs a second is enough for a background tab. */
export const HIDDEN_FALLBACK_MS = 250;

export function createFrameLoop(run: () => void): FrameLoop {
  let raf: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hasRaf = typeof requestAnimationFrame === 'function';

  const clear = () => {
    if (raf !== null) cancelAnimationFrame(raf);
    if (timer !== null) clearTimeout(timer);
    raf = null;
    timer = null;
  };
  const fire = () => {
    clear();
    run();
  };
  return {
    request() {
      if (raf !== null || timer !== null) return;
      const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
      if (hasRaf && !hidden) raf = requestAnimationFrame(fire);
      // Armed in both cases: covers a tab that is hidden after the frame was requested.
      timer = setTimeout(fire, HIDDEN_FALLBACK_MS);
    },
    flush: fire,
    cancel: clear,
  };
}
