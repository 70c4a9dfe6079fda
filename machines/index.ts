/** The pathway model: pure, shared by the workflow, the API and the web UI. */
export * from './authorization';
export * from './calendar';
export * from './context';
export * from './deadlines';
export * from './events';
export * from './facility';
export * from './extension-effect';
export * from './pathway-machine';
export * from './policy';
export * from './refusals';
export * from './rules';
export * from './view';
export * from './where';
export * from './step';
export * from './time';
export * from './issues';
export * from './case-record';
