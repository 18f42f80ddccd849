import type { Dataset } from '@civtag/core';

/**
 * The part of a dataset the hub reads: identity, revision, the change feed and its events, and
 * (a store shared by several servers) catching up with the others before greeting a client.
 */
export type HubDataset = Pick<
  Dataset,
  'id' | 'revision' | 'changesSince' | 'on' | 'sharedStore' | 'catchUp'
>;
