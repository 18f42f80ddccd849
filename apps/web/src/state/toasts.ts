import { CivtagError } from '@civtag/api-models';

/** A short message in the corner: what happened, or what went wrong and what to do. */
export interface Toast {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

let nextToastId = 1;

/** Makes a toast; errors show their civtag code so a report can name it. */
export function makeToast(tone: Toast['tone'], subject: unknown): Toast {
  let text: string;
  if (CivtagError.isInstance(subject)) text = `${subject.message} (${subject.code})`;
  else if (subject instanceof Error) text = subject.message;
  else text = String(subject);
  const id = nextToastId;
  nextToastId += 1;
  return { id, tone, text };
}
