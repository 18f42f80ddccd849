/** Which images an action works on: the selection, or everything the filter matches. */
export type Scope = 'selection' | 'filter';

/**
 * The two radio buttons that choose a {@link Scope}, with how many images each holds; the
 * selection is disabled while nothing is selected.
 */
export function ScopeChoice({
  legend,
  name,
  scope,
  onChange,
  selected,
  filter,
  total,
  totalKnown,
}: {
  legend: string;
  /** The radio group's name, unique in the page. */
  name: string;
  scope: Scope;
  onChange: (scope: Scope) => void;
  selected: number;
  filter: string;
  total: number;
  /** False while the filter's count is a lower bound (pages still loading). */
  totalKnown: boolean;
}) {
  return (
    <fieldset class="field-group">
      <legend class="field-label">{legend}</legend>
      <label class="radio">
        <input
          type="radio"
          name={name}
          checked={scope === 'selection'}
          disabled={selected === 0}
          onChange={() => onChange('selection')}
        />
        the selection ({selected.toLocaleString()})
      </label>
      <label class="radio">
        <input
          type="radio"
          name={name}
          checked={scope === 'filter'}
          onChange={() => onChange('filter')}
        />
        {scopeName(filter)} ({totalKnown ? '' : '≥ '}
        {total.toLocaleString()})
      </label>
    </fieldset>
  );
}

/** How the filter scope is named: all images, or those matching the filter. */
export function scopeName(filter: string): string {
  return filter === '' ? 'all images' : 'every image matching the filter';
}
