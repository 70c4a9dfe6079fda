import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from './errors';

/**
 * A citizen's CPR number is entered to find their pathway, and kept nowhere: the pathway carries
 * only a keyed hash of it (HMAC-SHA256 under a key of its own) in a search attribute, so neither
 * Temporal's database nor its UI can turn it back into the number, nor test guesses without the key.
 */

/** DDMMYY-NNNN or ten digits, with a day and month that exist. */
export const CprSchema = z
  .string()
  .trim()
  .regex(/^\d{6}-?\d{4}$/, 'a CPR number is DDMMYY-NNNN')
  .transform((s) => s.replace('-', ''))
  .refine((d) => {
    const day = Number(d.slice(0, 2));
    const month = Number(d.slice(2, 4));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }, 'a CPR number starts with a day and a month');

/** The value of the `PathwayCitizenKey` search attribute for `digits` (from `CprSchema`); 400 where no key is set up. */
export function citizenKey(digits: string, key: Buffer | undefined): string {
  if (!key) throw new HttpError(400, 'invalid-request', 'cpr: finding pathways by CPR number is not set up here', { field: 'cpr' });
  return createHmac('sha256', key).update(`cpr:${digits}`).digest('hex');
}
