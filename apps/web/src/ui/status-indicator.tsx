import type { CaptionProgress } from '@civtag/api-models';
import { describeStatus, type HeldEdits, type LiveStatus } from '../model/connection-status.js';

/** Online / reconnecting (n queued edits) / offline, from the live connection. */
export function StatusIndicator({
  status,
  pending,
  captions,
  held,
}: {
  status: LiveStatus;
  pending: number;
  captions: CaptionProgress;
  held: HeldEdits | null;
}) {
  const view = describeStatus(status, pending, captions, held);
  return (
    <output
      class={`status status-${view.tone}`}
      title={view.description}
      aria-live="polite"
      data-testid="status"
    >
      <span class="status-dot" aria-hidden="true" />
      <span class="status-label">{view.label}</span>
    </output>
  );
}
