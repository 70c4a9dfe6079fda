import { assign, setup } from 'xstate';
import type { CommandType } from '../../../machines';

/** The action panel: choose an action, fill its form, send it, show a refusal until it is dealt with. */
export const actionPanelMachine = setup({
  types: {
    /** `initial`: values the form starts with (the goal a "review" button is for). */
    context: {} as { type: CommandType | null; error: Error | null; initial?: Record<string, string> },
    events: {} as { type: 'open'; command: CommandType; initial?: Record<string, string> } | { type: 'close' } | { type: 'submit' } | { type: 'done' } | { type: 'failed'; error: Error } | { type: 'clear' },
  },
}).createMachine({
  id: 'actionPanel',
  context: { type: null, error: null },
  initial: 'idle',
  states: {
    idle: { on: { open: { target: 'editing', actions: assign(({ event }) => ({ type: event.command, error: null, initial: event.initial })) } } },
    editing: {
      on: {
        submit: 'sending',
        close: { target: 'idle', actions: assign({ type: null, error: null }) },
        open: { actions: assign(({ event }) => ({ type: event.command, error: null, initial: event.initial })) },
        // The refusal has been dealt with (the page reloaded): the form stays, as typed.
        clear: { actions: assign({ error: null }) },
      },
    },
    sending: {
      on: {
        done: { target: 'idle', actions: assign({ type: null, error: null }) },
        failed: { target: 'editing', actions: assign(({ event }) => ({ error: event.error })) },
      },
    },
  },
});
