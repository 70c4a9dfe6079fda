// The workflow bundle's entry: every workflow type the worker runs.
export { pathwayWorkflow } from './pathway';
export { facilityWorkflow } from './facility';
