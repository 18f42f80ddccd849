import type { CaptionProgress } from '@civtag/api-models';
import { describeStatus, type LiveStatus } from '../model/connection-status.js';

/** Online / reconnecting (n queued edits) / offline, from the live connection. */
export function StatusIndicator({
  status,
  pending,
  captions,
}: {
  status: LiveStatus;
  pending: number;
  captions: CaptionProgress;
}) {
  const view = describeStatus(status, pending, captions);
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
