import { useSyncExternalStore } from 'react';

/**
 * How the page's conversation with the API goes, for one banner instead of a page replaced by
 * an error: a refresh that failed leaves the page (and anything typed) as it was, says so, and
 * tries again; a session that ended brings the sign-in form back over the same page.
 */
type State = { trouble: Error | null; signedOut: number };
let state: State = { trouble: null, signedOut: 0 };
const listeners = new Set<() => void>();
const set = (next: Partial<State>) => {
  state = { ...state, ...next };
  for (const l of listeners) l();
};

/** A refresh failed (or, with null, worked again). */
export const reportTrouble = (err: Error | null) => (state.trouble === err ? undefined : set({ trouble: err }));
/** The API answered 401: the session is over. */
export const reportSignedOut = () => set({ signedOut: state.signedOut + 1 });

export function useConnection(): State {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => void listeners.delete(l)),
    () => state,
  );
}
