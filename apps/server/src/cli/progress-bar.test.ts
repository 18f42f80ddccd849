import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress-bar.js';

/** A terminal `columns` wide (or reporting no width) that records the lines drawn on it. */
function fakeTerminal(columns: number | undefined) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        // Each draw is `\r`, "erase line", then the line itself.
        const text = String(chunk).replace('\r\x1b[2K', '');
        if (text !== '') lines.push(text);
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return { stream, lines };
}

describe('the progress bar', () => {
  it.each([0, undefined, 1, 5, -3, Number.NaN])(
    'draws the whole line on a terminal that reports %s columns',
    (columns) => {
      const { stream, lines } = fakeTerminal(columns);
      createProgressBar(stream, 'Importing').update(7, 7);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Importing █+ 7\/7$/);
    },
  );

  it.each([40, 60, 80, 200])(
    'keeps every line narrower than a %s-column terminal, so that it never wraps',
    (columns) => {
      const { stream, lines } = fakeTerminal(columns);
      const bar = createProgressBar(stream, 'Importing');
      bar.update(3, 3, `photo ${'x'.repeat(300)}.png`);
      bar.update(3, 3, 'a.png');
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect([...line].length).toBeLessThan(columns);
        // The counts are never cut; only the detail is.
        expect(line).toMatch(/^Importing █+ 3\/3/);
      }
    },
  );

  it('shows the detail in full when the terminal has room for it', () => {
    const { stream, lines } = fakeTerminal(120);
    createProgressBar(stream, 'Importing').update(2, 4, 'sakura_0002.png');
    expect(lines).toEqual([`Importing ${'█'.repeat(15)}${'░'.repeat(15)} 2/4 sakura_0002.png`]);
  });

  it('draws nothing when standard error is not a terminal', () => {
    const { stream, lines } = fakeTerminal(80);
    stream.isTTY = false as true;
    createProgressBar(stream, 'Importing').update(1, 1);
    expect(lines).toEqual([]);
  });
});
