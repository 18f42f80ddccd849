import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

const fingerprints = new WeakMap<object, string>();

/**
 * The hex sha256 of a state schema's JSON Schema form: what a snapshot records beside its state
 * hash, so that its state is trusted unvalidated only under the schema it was validated with.
 * A schema changed without a version bump (a new field, a tighter check) gives another
 * fingerprint, and the next open validates the state instead of trusting it. Checks JSON Schema
 * cannot express (a refinement, a transform) are left out of the form; a change to them alone
 * is not seen, which is what the version is for.
 */
export function schemaFingerprint(schema: z.core.$ZodType): string {
  let fingerprint = fingerprints.get(schema);
  if (fingerprint === undefined) {
    const form = JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any' }));
    fingerprint = createHash('sha256').update(form).digest('hex');
    fingerprints.set(schema, fingerprint);
  }
  return fingerprint;
}
