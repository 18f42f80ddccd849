import type { ImageRecord, Proposal } from '@civtag/api-models';
import { foldTag, pendingProposals } from '@civtag/tags';

/** The part of a record the proposal views read. */
export type ProposalSource = Pick<ImageRecord, 'tags' | 'proposals'>;

/**
 * The proposals of an image still to decide, highest score first: those whose tag the image
 * does not hold in any form (`pendingProposals` of `@civtag/tags`, the server's own rule), so an
 * accept shown before the server confirms it hides its proposal at once. Change frames bring the
 * server's pending list after each change (an undo's brings the proposal back).
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
