import type { Dataset } from '@civtag/core';

/** The part of a dataset the hub reads: identity, revision, the change feed and its events. */
export type HubDataset = Pick<Dataset, 'id' | 'revision' | 'changesSince' | 'on'>;
