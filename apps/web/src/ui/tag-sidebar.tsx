import { formatTagTerm } from '@civtag/tags';
import { Component } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatCount, formatNumber } from '../model/format-count.js';
import { categoryClass } from '../model/tag-category.js';
import { TagListFilter } from '../model/tag-list-filter.js';
import { orderTags, TAG_SORTS, type TagSort } from '../model/tag-order.js';
import { virtualRange } from '../model/virtual-list.js';
import type { AppState, AppStore } from '../state/app-store.js';

/** The height of one tag row (`.tag-list li` in the styles). */
const ROW_HEIGHT = 30;

interface TagSidebarProps {
  store: AppStore;
  state: Pick<AppState, 'tagCounts' | 'filter' | 'matchingTagCounts'>;
}

/** Where the chosen order of the tag list is kept between visits. */
const SORT_KEY = 'civtag.tagSort';

function storedSort(): TagSort {
  try {
    const stored = localStorage.getItem(SORT_KEY);
    return TAG_SORTS.some((entry) => entry.sort === stored) ? (stored as TagSort) : 'most';
  } catch {
    return 'most';
  }
}

/**
 * Every tag of the dataset with its count, and while a filter is active its count among the
 * filtered images too; ordered by use (either way) or by name; a click filters the grid by it
 * (so the rarest tags, one click from the top, are quick to check). The list is
 * virtualised (only the rows in view exist), and the search looks through folded names prepared
 * once, so tens of thousands of tags filter per keystroke. Re-renders only when the counts or the
 * filter change, not on each page the grid loads.
 */
export class TagSidebar extends Component<TagSidebarProps> {
  override shouldComponentUpdate(next: TagSidebarProps): boolean {
    return (
      next.state.tagCounts !== this.props.state.tagCounts ||
      next.state.filter !== this.props.state.filter ||
      next.state.matchingTagCounts !== this.props.state.matchingTagCounts
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
  const [sort, setSort] = useState<TagSort>(storedSort);
  const filter = useMemo(() => new TagListFilter(), []);
  const inFilter =
    state.matchingTagCounts !== null && state.matchingTagCounts.filter === state.filter
      ? state.matchingTagCounts.counts
      : null;
  const ordered = useMemo(
    () => orderTags(state.tagCounts, inFilter, sort),
    [state.tagCounts, inFilter, sort],
  );
  const matching = useMemo(() => filter.filter(ordered, search), [ordered, search, filter]);
  const highest = useMemo(() => {
    if (inFilter === null) return state.tagCounts[0]?.count ?? 1;
    let most = 1;
    for (const count of inFilter.values()) most = Math.max(most, count);
    return most;
  }, [state.tagCounts, inFilter]);
  const chooseSort = (next: TagSort) => {
    setSort(next);
    try {
      localStorage.setItem(SORT_KEY, next);
    } catch {
      // A browser that keeps nothing still orders the list; it forgets the order on reload.
    }
  };
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
          {inFilter === null ? null : (
            <span class="muted" data-testid="tags-in-filter">
              {' '}
              · {formatNumber(inFilter.size)} in the filter
            </span>
          )}
        </h2>
        <label class="visually-hidden" for="tag-sort">
          Order the tags
        </label>
        <select
          id="tag-sort"
          class="text-input small"
          value={sort}
          onChange={(event) => chooseSort(event.currentTarget.value as TagSort)}
        >
          {TAG_SORTS.map((entry) => (
            <option key={entry.sort} value={entry.sort}>
              {entry.label}
            </option>
          ))}
        </select>
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
          onFocus={() => filter.prepare(ordered)}
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
            const filtered = inFilter === null ? null : (inFilter.get(entry.tag) ?? 0);
            const shown = filtered ?? entry.count;
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
                      : filtered === null
                        ? `Show the ${formatCount(entry.count, 'image')} tagged “${entry.tag}”`
                        : `${formatNumber(filtered)} of the filtered images, ${formatCount(entry.count, 'image')} in the dataset: click to show all ${formatNumber(entry.count)}`
                  }
                  onClick={() => store.setFilter(active ? '' : query)}
                >
                  <span
                    class="tag-bar"
                    style={{ width: `${Math.max(shown > 0 ? 2 : 0, (shown / highest) * 100)}%` }}
                    aria-hidden="true"
                  />
                  <span class="tag-name">{entry.tag}</span>
                  {filtered === null ? (
                    <span class="tag-row-count">{formatNumber(entry.count)}</span>
                  ) : (
                    <span class={filtered === 0 ? 'tag-row-count muted' : 'tag-row-count'}>
                      <span data-testid="count-in-filter">{formatNumber(filtered)}</span>
                      <span class="muted"> / {formatNumber(entry.count)}</span>
                    </span>
                  )}
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
