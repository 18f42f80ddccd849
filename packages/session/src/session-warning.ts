/**
 * Something a session noticed on open that lost nothing but needs a person's eye: a damaged
 * last journal line kept aside. The message says what happened, where, and what to do.
 */
export interface SessionWarning {
  code: 'JOURNAL_LINE_SET_ASIDE';
  message: string;
  details: {
    /** The journal the line was in. */
    journal: string;
    /** The file it was kept in. */
    file: string;
    /** Where the line started in the journal, in bytes. */
    offset: number;
    /** Its line number in the journal, counting from 1. */
    line: number;
  };
}
