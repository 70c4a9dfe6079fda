import { useCallback, useEffect, useState } from 'react';
import { reportTrouble } from './connection';

/**
 * Loads now and again every few seconds, so open pages follow the engine (short polling). Once
 * something is shown, a failed refresh keeps it (the banner says so) and the next one tries again.
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs = 5000) {
  const [data, setShown] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const setData = useCallback((d: T) => {
    setShown(d);
    setError(null);
    reportTrouble(null);
  }, []);
  const run = useCallback(
    () =>
      load().then(setData, (e: Error) => {
        setError(e);
        reportTrouble(e);
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    deps,
  );
  useEffect(() => {
    void run();
    const timer = setInterval(() => void run(), everyMs);
    return () => clearInterval(timer);
  }, [run, everyMs]);
  // An error replaces the page only while there is nothing to show.
  return { data, error: data === null ? error : null, reload: run, setData };
}
