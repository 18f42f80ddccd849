import { formatTagTerm } from '@civtag/tags';
import { Component } from 'preact';
import { useState } from 'preact/hooks';
import { formatCount } from '../model/format-count.js';
import type { AppState, AppStore } from '../state/app-store.js';

const SHOWN = 400;

interface TagSidebarProps {
  store: AppStore;
  state: Pick<AppState, 'tagCounts' | 'filter'>;
}

/**
 * Every tag of the dataset with its count; a click filters the grid by it. Re-renders only when
 * the counts or the filter change, not on each page the grid loads.
 */
export class TagSidebar extends Component<TagSidebarProps> {
  override shouldComponentUpdate(next: TagSidebarProps): boolean {
    return (
      next.state.tagCounts !== this.props.state.tagCounts ||
      next.state.filter !== this.props.state.filter
    );
  }

  override render() {
    return <TagSidebarView {...this.props} />;
  }
}

function TagSidebarView({ store, state }: TagSidebarProps) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const matching =
    needle === ''
      ? state.tagCounts
      : state.tagCounts.filter((entry) => entry.tag.toLowerCase().includes(needle));
  const highest = state.tagCounts[0]?.count ?? 1;
  return (
    <nav class="sidebar" aria-label="Tags">
      <div class="sidebar-header">
        <h2 class="sidebar-title">
          Tags <span class="muted">{state.tagCounts.length.toLocaleString()}</span>
        </h2>
        <label class="visually-hidden" for="tag-search">
          Find a tag
        </label>
        <input
          id="tag-search"
          class="text-input small"
          type="search"
          placeholder="Find a tag"
          autocomplete="off"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
      </div>
      <ul class="tag-list" data-testid="tag-list">
        {matching.slice(0, SHOWN).map((entry) => {
          const query = formatTagTerm(entry.tag);
          const active = state.filter === query;
          return (
            <li key={entry.tag}>
              <button
                type="button"
                class={active ? 'tag-row active' : 'tag-row'}
                aria-pressed={active}
                title={
                  active
                    ? 'Click to clear the filter'
                    : `Show the ${formatCount(entry.count, 'image')} tagged “${entry.tag}”`
                }
                onClick={() => store.setFilter(active ? '' : query)}
              >
                <span
                  class="tag-bar"
                  style={{ width: `${Math.max(2, (entry.count / highest) * 100)}%` }}
                  aria-hidden="true"
                />
                <span class="tag-name">{entry.tag}</span>
                <span class="tag-row-count">{entry.count.toLocaleString()}</span>
              </button>
            </li>
          );
        })}
        {matching.length > SHOWN ? (
          <li class="muted more">
            {(matching.length - SHOWN).toLocaleString()} more: narrow the search
          </li>
        ) : null}
        {matching.length === 0 ? (
          <li class="muted more">
            {state.tagCounts.length === 0 ? 'No tags yet' : 'No tag matches'}
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
