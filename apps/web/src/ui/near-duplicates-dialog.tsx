import type { ImageRecord } from '@civtag/api-models';
import { useEffect, useState } from 'preact/hooks';
import { httpApi } from '../api/http-api.js';
import { formatCount } from '../model/format-count.js';
import type { AppState, AppStore } from '../state/app-store.js';
import { Modal } from './modal.js';

/** Images fetched a page at a time while the dialog gathers the groups' records. */
const PAGE = 1000;
/** Groups drawn at first; the rest on demand (each group is a row of thumbnails). */
const GROUPS_SHOWN = 40;

interface Loaded {
  revision: number;
  groups: ImageRecord[][];
  pending: number;
}

/**
 * The groups of images that look alike (resized, re-encoded, lightly cropped copies), side by
 * side, to keep one of each and exclude the rest from training with one click: an ordinary
 * `exclude` op, undoable. The groups are read again after every change to the dataset.
 */
export function NearDuplicatesDialog({ store, state }: { store: AppStore; state: AppState }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [shown, setShown] = useState(GROUPS_SHOWN);
  const revision = state.dataset?.revision;

  useEffect(() => {
    const controller = new AbortController();
    void (async () => {
      try {
        const answer = await httpApi.nearDuplicates();
        const records = new Map<string, ImageRecord>();
        for (let offset = 0; ; offset += PAGE) {
          const page = await httpApi.images({
            offset,
            limit: PAGE,
            q: 'has:near-duplicates',
            signal: controller.signal,
          });
          for (const record of page.images) records.set(record.id, record);
          if (page.images.length < PAGE) break;
        }
        const groups = answer.groups
          .map((ids) => ids.map((id) => records.get(id)).filter((record) => record !== undefined))
          .filter((group) => group.length > 1);
        if (!controller.signal.aborted) {
          setLoaded({ revision: answer.revision, groups, pending: answer.pending });
        }
      } catch (error) {
        if (!controller.signal.aborted) store.notifyError(error);
      }
    })();
    return () => controller.abort();
  }, [revision]);

  const keepOnly = (group: ImageRecord[], kept: ImageRecord) => {
    const others = group.filter((record) => record.id !== kept.id).map((record) => record.id);
    void store.applyOp({ type: 'exclude', target: { ids: others } });
  };
  const images = loaded?.groups.reduce((sum, group) => sum + group.length, 0) ?? 0;

  return (
    <Modal store={store} title="Near-duplicates" wide>
      {loaded === null ? (
        <p class="muted">Looking for images that look alike…</p>
      ) : (
        <>
          <p class="muted" data-testid="near-duplicate-summary">
            {loaded.groups.length === 0
              ? 'No two images look alike.'
              : `${formatCount(loaded.groups.length, 'group')} of images that look alike (${formatCount(images, 'image')}). Keep one of each: the others are excluded from training (Undo brings them back).`}
            {loaded.pending > 0
              ? ` ${formatCount(loaded.pending, 'image')} not compared yet: civtag is still hashing them.`
              : ''}
          </p>
          <ol class="duplicate-groups">
            {loaded.groups.slice(0, shown).map((group) => (
              <li key={group[0]?.id} class="duplicate-group" data-testid="near-duplicate-group">
                {group.map((record) => (
                  <figure key={record.id} class="duplicate-card" data-image-id={record.id}>
                    <img
                      class="duplicate-thumb"
                      src={httpApi.thumbUrl(record.id, record.hash)}
                      alt={record.file}
                      loading="lazy"
                    />
                    <figcaption>
                      <span class="duplicate-file" title={record.file}>
                        {record.file}
                      </span>
                      <span class="muted">
                        {record.width}×{record.height} {record.format.toUpperCase()} ·{' '}
                        {formatCount(record.tags.length, 'tag')}
                      </span>
                      {record.source === undefined ? null : (
                        <span class="muted duplicate-source" title={record.source.path}>
                          from {record.source.path}
                        </span>
                      )}
                    </figcaption>
                    <button
                      type="button"
                      class="button small"
                      aria-label={`Keep ${record.file}, exclude the others`}
                      onClick={() => keepOnly(group, record)}
                    >
                      Keep this one
                    </button>
                  </figure>
                ))}
              </li>
            ))}
          </ol>
          {loaded.groups.length > shown ? (
            <button type="button" class="button" onClick={() => setShown(shown + GROUPS_SHOWN)}>
              Show {Math.min(GROUPS_SHOWN, loaded.groups.length - shown)} more groups
            </button>
          ) : null}
          {loaded.groups.length > 0 ? (
            <div class="modal-actions">
              <button
                type="button"
                class="button"
                onClick={() => {
                  store.setFilter('has:near-duplicates');
                  store.update({ dialog: null });
                }}
              >
                Show them in the grid
              </button>
            </div>
          ) : null}
        </>
      )}
    </Modal>
  );
}
