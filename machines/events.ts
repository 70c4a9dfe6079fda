import { z } from 'zod';
import { lifeAreas } from './recovery';
import { matches } from './matches';

/**
 * Everything that may happen to a pathway, as one zod discriminated union.
 * A *command* is what a person asks for (it arrives over HTTP or as a Temporal Update);
 * the workflow stamps it with who sent it and when (workflow time), making a machine event.
 */

/** Opaque, pseudonymous ids only: they end up in search attributes and URLs. */
export const OpaqueIdSchema = z
  .string()
  .refine(matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), 'use 1-64 letters, digits, ".", "_" or "-"')
  // A Danish CPR (DDMMYY-NNNN) or Norwegian fødselsnummer (11 digits) is not opaque.
  .refine((s) => !/^\d{6}-?\d{4,5}$/.test(s), 'this looks like a personal ID number: use an opaque reference');
export const TeamIdSchema = OpaqueIdSchema;

/** A Danish CPR (DDMMYY-NNNN) or Norwegian fødselsnummer (11 digits) anywhere in a value, standing alone. */
export const containsPersonalIdNumber = (s: string) => /(^|\D)(\d{6}-?\d{4}|\d{11})(\D|$)/.test(s);
/** The municipality's reference to a citizen: opaque, and with no personal ID number anywhere in it. */
export const CitizenRefSchema = OpaqueIdSchema.refine((s) => !containsPersonalIdNumber(s), 'this holds a personal ID number: use an opaque reference');
/** The citizen's name, as staff need it: kept only in encrypted payloads (the workflow and its memo). */
export const CitizenNameSchema = z.string().trim().min(1).max(200);
export const StaffIdSchema = OpaqueIdSchema;

export const RoleSchema = z.enum(['coordinator', 'supervisor', 'peer', 'municipal-reader', 'admin', 'privacy-officer', 'system']);
export type Role = z.infer<typeof RoleSchema>;

export const ActorSchema = z.object({
  id: StaffIdSchema,
  role: RoleSchema,
  teams: z.array(TeamIdSchema).max(50),
});
export type Actor = z.infer<typeof ActorSchema>;

export const SYSTEM: Actor = { id: 'system', role: 'system', teams: [] };

/** A moment of the pathway's life, as epoch milliseconds: this century, so a slip of the keyboard is caught. */
const moment = z.number().int().min(Date.UTC(2000, 0, 1)).max(Date.UTC(2100, 0, 1));
export const ConsentScopeSchema = z.enum(['region', 'relative', 'peer', 'partner']);
const PartnerRequestIdSchema = z.string().refine(matches(/^request-\d{1,6}$/), 'a request id is request-<number>');
const GoalIdSchema = z.string().refine(matches(/^goal-\d{1,6}$/), 'a goal id is goal-<number>');
const note = z.string().trim().min(1).max(2000).optional();
const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(2000);
const days = z.number().int().min(1).max(365);

export const ClosureReasonSchema = z.enum([
  'declined',
  'lost-contact',
  'moved',
  'deceased',
  'other-offer',
  'no-need',
  'housed-stable',
  'readmitted',
  'other',
]);
export type ClosureReason = z.infer<typeof ClosureReasonSchema>;

/** Closure reasons a person may pick; the rest follow from recorded outcomes. */
export const ManualClosureReasonSchema = ClosureReasonSchema.extract(['declined', 'lost-contact', 'moved', 'deceased', 'other']);

export const AssessmentOutcomeSchema = z.enum(['care-place', 'other-offer', 'no-need']);
export const FollowUpOutcomeSchema = z.enum(['stable', 'readmitted']);

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape }).strict();

const commandList = [
  // `contactedAt`: when the contact was, if earlier than now (written up after a night round).
  command('contact.log', { outcome: z.enum(['reached', 'not-reached']), contactedAt: moment.optional(), note }),
  // Consent per purpose and recipient: `region` (regional psychiatry, the default) needs none; a relative is a network contact, a peer a staff id, a partner a registered partner.
  command('consent.record', { given: z.boolean(), scope: ConsentScopeSchema.optional(), recipient: OpaqueIdSchema.optional(), note }),
  command('referral.request', { toTeam: TeamIdSchema.optional(), note }),
  command('handoff.accept', { note }),
  command('handoff.reject', { reason }),
  command('handoff.cancel', { reason }),
  command('assessment.outcome', { outcome: AssessmentOutcomeSchema, toTeam: TeamIdSchema.optional(), note }),
  command('waitlist.join', { facilityId: OpaqueIdSchema, priority: z.enum(['normal', 'urgent']).optional(), note }),
  command('hospital.admit', { note }),
  command('hospital.return', { note }),
  command('dischargePlanning.start', { note }),
  command('extension.request', { days, reason }),
  command('extension.approve', { days: days.optional(), reason }),
  command('extension.decline', { reason }),
  command('discharge.request', { toTeam: TeamIdSchema.optional(), note }),
  command('readmission.record', { note }),
  command('followUp.complete', { outcome: FollowUpOutcomeSchema, note }),
  command('coordinator.assign', { coordinator: StaffIdSchema }),
  command('pathway.reassign', { toTeam: TeamIdSchema, reason }),
  command('note.add', { text: z.string().trim().min(1).max(4000) }),
  command('pathway.close', { reason: ManualClosureReasonSchema, note }),
  // The citizen at the centre (machines/recovery.ts). Times ending in `At` are epoch milliseconds.
  command('goal.add', {
    goal: z.string().trim().min(1).max(500),
    area: z.enum(lifeAreas),
    steps: z.string().trim().min(1).max(2000).optional(),
    helpers: z.string().trim().min(1).max(500).optional(),
    reviewAt: moment,
  }),
  command('goal.review', { goalId: GoalIdSchema, rating: z.number().int().min(1).max(10), note, nextReviewAt: moment }),
  command('goal.close', { goalId: GoalIdSchema, outcome: z.enum(['achieved', 'dropped']), note }),
  command('review.yearly', { note }),
  command('safety.set', {
    concern: z.enum(['violence-risk', 'threats', 'other']),
    precautions: z.string().trim().min(3, 'say what staff do, e.g. visit two together').max(500),
    reviewAt: moment,
  }),
  command('safety.clear', { reason }),
  command('admissions.before', { count: z.number().int().min(0).max(365), days: z.number().int().min(0).max(366), note }),
  command('admission.record', { admittedAt: moment, days: z.number().int().min(0).max(366), note }),
  command('network.add', {
    name: z.string().trim().min(1).max(200),
    relation: z.enum(['relative', 'friend', 'neighbour', 'professional', 'other']),
    phone: z.string().trim().refine(matches(/^[+0-9 ()-]{4,30}$/), 'a phone number of digits, spaces, +, ( ) and -').optional(),
    note,
  }),
  command('network.remove', { contactId: z.string().refine(matches(/^contact-\d{1,6}$/), 'a contact id is contact-<number>'), reason }),
  command('peer.attach', { peer: StaffIdSchema }),
  command('peer.detach', { peer: StaffIdSchema, reason }),
  // `responseDays`: the partner's agreed response time; the API sets it from the partner registry.
  command('partner.request', { partnerId: OpaqueIdSchema, request: z.string().trim().min(3).max(2000), responseDays: z.number().int().min(1).max(90) }),
  command('partner.answer', { requestId: PartnerRequestIdSchema, note }),
  command('partner.withdraw', { requestId: PartnerRequestIdSchema, reason }),
] as const;

/** Events only the engine itself sends: the passing of time, a facility's grant, a notice given up on. */
const systemList = [
  command('clock.tick', {}),
  command('place.grant', { facilityId: OpaqueIdSchema }),
  command('notice.undeliverable', { kind: z.string().min(1).max(64), key: z.string().min(1).max(200) }),
] as const;

export const CommandSchema = z.discriminatedUnion('type', commandList);
export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];

export const SystemCommandSchema = z.discriminatedUnion('type', systemList);
export type SystemCommand = z.infer<typeof SystemCommandSchema>;

type SchemaOf<T extends string> = Extract<(typeof commandList)[number] | (typeof systemList)[number], { shape: { type: z.ZodLiteral<T> } }>;

/** Each event's schema by type, so a UI can render a form from it. */
export const commandSchemas = Object.fromEntries(commandList.map((s) => [s.shape.type.value, s])) as {
  [T in CommandType]: SchemaOf<T>;
};
export const commandTypes = commandList.map((s) => s.shape.type.value) as CommandType[];

export const StampSchema = z.object({ by: ActorSchema, at: z.number().int().nonnegative() });
export type Stamp = z.infer<typeof StampSchema>;

/** What the machine receives: a command stamped with its sender and workflow time. */
export type PathwayEvent = (Command | SystemCommand) & Stamp;
export type PathwayEventType = PathwayEvent['type'];
export type EventOf<T extends PathwayEventType> = Extract<PathwayEvent, { type: T }>;

