import type { Proposal, Rating } from '@civtag/api-models';
import { useEffect, useRef } from 'preact/hooks';
import { formatScore, proposalName } from '../model/proposal-view.js';

interface ProposalChipsProps {
  /** The pending proposals, in the order to show (`pendingOf`: highest score first). */
  proposals: readonly Proposal[];
  rating: Rating | undefined;
  onAccept: (tag: string) => void;
  onReject: (tag: string) => void;
}

/**
 * What an auto-tagger proposes for the image, beside its tags and unlike them (dashed, with
 * the score): a click, Enter or Space on one accepts it (it becomes a tag), × or Delete rejects
 * it (it is not proposed again). The tagger's rating is shown above them.
 */
export function ProposalChips({ proposals, rating, onAccept, onReject }: ProposalChipsProps) {
  const list = useRef<HTMLUListElement>(null);
  // The chip just decided, and where it was: once it is gone, the focus goes to the proposal
  // now in its place (or the tag input after the last) rather than to the page, so a keyboard
  // user goes on through the list.
  const decided = useRef<{ tag: string; index: number } | null>(null);
  useEffect(() => {
    const last = decided.current;
    if (last === null || proposals.some((proposal) => proposal.tag === last.tag)) return;
    decided.current = null;
    const labels = list.current?.querySelectorAll<HTMLButtonElement>('.chip-label');
    const next = labels?.[Math.min(last.index, labels.length - 1)];
    if (next !== undefined) next.focus();
    else document.getElementById('editor-tag-input')?.focus();
  });
  if (proposals.length === 0 && rating === undefined) return null;
  const decide = (tag: string, index: number, action: (tag: string) => void) => {
    decided.current = { tag, index };
    action(tag);
  };
  return (
    <section class="proposals" aria-label="Proposed by the tagger" data-testid="proposals">
      <h3 class="proposals-title">
        Proposed
        {rating === undefined ? null : (
          <span class="rating" data-testid="rating" title="The tagger's rating of the image">
            rating: {rating.label} {formatScore(rating.score)}
          </span>
        )}
      </h3>
      {proposals.length === 0 ? (
        <p class="muted">No proposals left to decide.</p>
      ) : (
        <>
          <p id="proposal-keys" class="visually-hidden">
            Enter accepts the proposed tag; Delete rejects it.
          </p>
          <ul
            ref={list}
            class="chips proposal-chips"
            aria-label="Proposed tags, highest score first"
          >
            {proposals.map((proposal, index) => (
              <li
                key={proposal.tag}
                class={`chip proposal proposal-${proposal.category}`}
                data-proposal={proposal.tag}
              >
                <button
                  type="button"
                  class="chip-label"
                  aria-label={`Accept ${proposalName(proposal)}`}
                  aria-describedby="proposal-keys"
                  title="Accept: make it a tag (Delete rejects)"
                  onClick={() => decide(proposal.tag, index, onAccept)}
                  onKeyDown={(event) => {
                    if (event.key === 'Delete' || event.key === 'Backspace') {
                      event.preventDefault();
                      event.stopPropagation();
                      decide(proposal.tag, index, onReject);
                    }
                  }}
                >
                  {proposal.category === 'character' ? (
                    <span class="proposal-kind" aria-hidden="true" title="Character">
                      ◆
                    </span>
                  ) : null}
                  {proposal.tag}
                  <span class="proposal-score" aria-hidden="true">
                    {formatScore(proposal.score)}
                  </span>
                </button>
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`Reject ${proposal.tag}`}
                  title="Reject: do not propose it again"
                  onClick={() => decide(proposal.tag, index, onReject)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
