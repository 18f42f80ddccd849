import type { ImageRecord, Proposal } from '@civtag/api-models';
import { foldTag, pendingProposals } from '@civtag/tags';

/** The part of a record the proposal views read. */
export type ProposalSource = Pick<ImageRecord, 'tags' | 'proposals'>;

/**
 * The proposals of an image still to decide, highest score first: those whose tag the image
 * does not hold in any form (`pendingProposals` of `@civtag/tags`, the server's own rule). A
 * record keeps the proposals it was loaded with while its tags change, so an accepted proposal
 * disappears as its tag arrives and comes back when an undo removes the tag.
 */
export function pendingOf(record: ProposalSource): Proposal[] {
  if (record.proposals === undefined || record.proposals.length === 0) return [];
  // Stable: equal scores keep the tagger's order.
  return pendingProposals({
    id: '',
    tags: record.tags,
    excluded: false,
    proposals: record.proposals,
  })
    .map((proposal, index) => ({ proposal, index }))
    .sort((a, b) => b.proposal.score - a.proposal.score || a.index - b.index)
    .map(({ proposal }) => proposal);
}

/** A score (0–1) as a whole percentage: `0.873` → `87%`. */
export function formatScore(score: number): string {
  return `${Math.round(score * 100)}%`;
}

/** What a screen reader says for a proposal: `red, proposed, 87%` (`…, character`). */
export function proposalName(proposal: Proposal): string {
  const kind = proposal.category === 'character' ? ', character' : '';
  return `${proposal.tag}, proposed${kind}, ${formatScore(proposal.score)}`;
}

/**
 * The proposals to keep in memory for a record freshly fetched from the server, whose
 * `proposals` are the pending ones only: those of `previous` whose tag `fresh` now holds (the
 * ones just accepted) are kept beside them, so that an undo that removes the tag shows the
 * proposal again without another fetch.
 */
export function mergeAcceptedProposals(
  previous: Pick<ImageRecord, 'proposals'> | undefined,
  fresh: ImageRecord,
): ImageRecord {
  const kept = previous?.proposals;
  if (kept === undefined || kept.length === 0) return fresh;
  const held = new Set(fresh.tags.map((tag) => foldTag(tag)));
  const pending = fresh.proposals ?? [];
  const known = new Set(pending.map((proposal) => foldTag(proposal.tag)));
  const accepted = kept.filter(
    (proposal) => held.has(foldTag(proposal.tag)) && !known.has(foldTag(proposal.tag)),
  );
  if (accepted.length === 0) return fresh;
  const proposals = [...pending, ...accepted].sort((a, b) => b.score - a.score);
  return { ...fresh, proposals };
}

/** Drops the proposals of `record` whose tag folds to one of `rejected` (shown at once on reject). */
export function withoutRejected<T extends Pick<ImageRecord, 'proposals'>>(
  record: T,
  rejected: readonly string[],
): T {
  if (record.proposals === undefined || rejected.length === 0) return record;
  const folds = new Set(rejected);
  return {
    ...record,
    proposals: record.proposals.filter((proposal) => !folds.has(foldTag(proposal.tag))),
  };
}
