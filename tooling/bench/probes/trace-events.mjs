// Reads the events of a Chromium trace file (`{"traceEvents": [...]}`) one at a time, without
// holding the file as one string: a trace of a long scroll is hundreds of MB, past the length
// of a string V8 can make.
import { createReadStream } from 'node:fs';

/** Yields each object of the file's `traceEvents` array, parsed. */
export async function* readTraceEvents(file) {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    // Where the event being read began in `text` (-1: between events).
    let start = carry === '' ? -1 : 0;
    for (let index = carry.length; index < text.length; index += 1) {
      const character = text[index];
      if (inString) {
        if (escaped) escaped = false;
        else if (character === '\\') escaped = true;
        else if (character === '"') inString = false;
        continue;
      }
      if (character === '"') inString = true;
      else if (character === '{' || character === '[') {
        depth += 1;
        if (depth === 3 && character === '{') start = index;
      } else if (character === '}' || character === ']') {
        depth -= 1;
        if (depth === 2 && character === '}' && start !== -1) {
          const event = JSON.parse(text.slice(start, index + 1));
          start = -1;
          if (typeof event.ph === 'string') yield event;
        }
      }
    }
    carry = start === -1 ? '' : text.slice(start);
  }
}
