import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { reportTrouble } from './connection';

/**
 * Loads now, then asks the API to answer when the version passes the one shown (a long poll:
 * `load(after)` returns at once when there is something newer, else after ~25 s as it stands).
 * A page follows what the engine does by itself (a place granted, a deadline passed) at once,
 * without polling. A network hiccup or a busy engine keeps the page as shown and tries again.
 */
export function useFollow<T extends { view: { version: number } | null }>(load: (after?: number) => Promise<T>, deps: unknown[]) {
  const [data, setShown] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const shown = useRef<T | null>(null);
  const setData = useCallback((d: T) => {
    shown.current = d;
    setShown(d);
  }, []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  // A reload that meets a hiccup keeps the page (and any form on it) and says so, as following does.
  const reload = useCallback(() => load().then(setData, (e: Error) => (lastingError(e) ? setError(e) : reportTrouble(e))), deps);

  useEffect(() => {
    let live = true;
    shown.current = null;
    void (async () => {
      for (let failures = 0; live; ) {
        try {
          const next = await load(shown.current?.view?.version);
          if (!live) return;
          setData(next);
          setError(null);
          reportTrouble(null);
          failures = 0;
          if (next.view === null) return; // a closed pathway's record: nothing more will happen to it
        } catch (e) {
          if (!live) return;
          const lasting = lastingError(e);
          if (lasting || !shown.current) setError(e as Error);
          else reportTrouble(e as Error);
          if (lasting) return;
          failures += 1;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** failures)));
        }
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, reload, setData };
}

/** Signed out, not allowed, gone: asking again will not help. */
const lastingError = (e: unknown) => e instanceof ApiError && e.status >= 400 && e.status < 500;
