import { z } from 'zod';

/**
 * In browsers the app runs under a strict CSP (script-src 'self', no 'unsafe-eval'). Zod would
 * probe for eval with `new Function` when the first object schema is built, which Firefox reports
 * as a CSP violation (a console error) although the probe's failure is caught. This module is the
 * first one index.ts evaluates, so no schema exists yet when jitless mode is set. Node (the
 * server, with no such CSP) keeps zod's faster compiled parsers.
 */
export const SCHEMA_JITLESS = typeof (globalThis as { process?: unknown }).process === 'undefined';
if (SCHEMA_JITLESS) z.config({ jitless: true });
