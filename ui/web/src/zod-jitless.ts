import { config } from 'zod';

/**
 * Imported first: zod compiles object parsers with `new Function` unless told not to, and the
 * API's Content-Security-Policy (no 'unsafe-eval') refuses that, logging a violation. Schemas
 * read the setting when they are built, so this must run before any module that defines one.
 */
config({ jitless: true });
