import { useCallback, useEffect, useState } from 'react';

/** Loads now and again every few seconds, so open pages follow the engine (short polling). */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs = 5000) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(() => load().then(setData, (e: Error) => setError(e)), deps);
  useEffect(() => {
    void run();
    const timer = setInterval(() => void run(), everyMs);
    return () => clearInterval(timer);
  }, [run, everyMs]);
  return { data, error, reload: run, setData };
}
