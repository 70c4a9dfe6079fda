import { SYSTEM, type Actor } from '../../machines';

/** Staff of one team, by the opaque ids a real directory would hand out. */
export const member = (team: string, n = 1): Actor => ({ id: `${team}-c${n}`, role: 'coordinator', teams: [team] });
export const supervisorOf = (team: string): Actor => ({ id: `${team}-lead`, role: 'supervisor', teams: [team] });

export const outreachWorker = member('outreach');
export const liaison = member('psychiatry-liaison');
export const carer = member('care-place');
export const carePlaceLead = supervisorOf('care-place');
export const housingOfficer = member('housing-support');
export const stranger = member('elsewhere');
export const system = SYSTEM;
