import { formatTagTerm } from '@civtag/tags';
import { Component } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatCount, formatNumber } from '../model/format-count.js';
import { categoryClass } from '../model/tag-category.js';
import { TagListFilter } from '../model/tag-list-filter.js';
import { virtualRange } from '../model/virtual-list.js';
import type { AppState, AppStore } from '../state/app-store.js';

/** The height of one tag row (`.tag-list li` in the styles). */
const ROW_HEIGHT = 30;

interface TagSidebarProps {
  store: AppStore;
  state: Pick<AppState, 'tagCounts' | 'filter'>;
}

/**
 * Every tag of the dataset with its count; a click filters the grid by it. The list is
 * virtualised (only the rows in view exist), and the search looks through folded names prepared
 * once, so tens of thousands of tags filter per keystroke. Re-renders only when the counts or the
 * filter change, not on each page the grid loads.
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
  const [view, setView] = useState({ scrollTop: 0, height: 600 });
  const list = useRef<HTMLDivElement>(null);
  const filter = useMemo(() => new TagListFilter(), []);
  const matching = useMemo(
    () => filter.filter(state.tagCounts, search),
    [state.tagCounts, search, filter],
  );
  const highest = state.tagCounts[0]?.count ?? 1;
  const range = virtualRange({
    scrollTop: view.scrollTop,
    viewportHeight: view.height,
    rowHeight: ROW_HEIGHT,
    count: matching.length,
  });

  useLayoutEffect(() => {
    const element = list.current;
    if (element === null) return;
    const measure = () => setView({ scrollTop: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    // A new search starts at the top of its matches.
    if (list.current !== null) list.current.scrollTop = 0;
  }, [search]);

  return (
    <nav class="sidebar" aria-label="Tags">
      <div class="sidebar-header">
        <h2 class="sidebar-title">
          Tags <span class="muted">{formatNumber(state.tagCounts.length)}</span>
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
          onFocus={() => filter.prepare(state.tagCounts)}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
      </div>
      <div
        ref={list}
        class="tag-list"
        onScroll={(event) => {
          const { scrollTop } = event.currentTarget;
          setView((previous) => ({ ...previous, scrollTop }));
        }}
      >
        <ul
          class="tag-rows"
          data-testid="tag-list"
          aria-label={`${formatCount(matching.length, 'tag')}`}
          style={{ height: `${range.totalHeight}px`, paddingTop: `${range.offsetTop}px` }}
        >
          {matching.slice(range.start, range.end).map((entry, offset) => {
            const query = formatTagTerm(entry.tag);
            const active = state.filter === query;
            // Keyed by place in the window, not by tag: a new search or a scroll patches the
            // rows' text instead of building new ones.
            return (
              <li
                key={offset}
                aria-posinset={range.start + offset + 1}
                aria-setsize={matching.length}
              >
                <button
                  type="button"
                  class={['tag-row', active ? 'active' : '', categoryClass(entry.category)]
                    .filter((name) => name !== '')
                    .join(' ')}
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
                  <span class="tag-row-count">{formatNumber(entry.count)}</span>
                </button>
              </li>
            );
          })}
        </ul>
        {matching.length === 0 ? (
          <p class="muted more">
            {state.tagCounts.length === 0 ? 'No tags yet' : 'No tag matches'}
          </p>
        ) : null}
      </div>
    </nav>
  );
}
