// The memory of another process, read from /proc (Linux): what `top` shows as RES, and its peak.
import { readFile } from 'node:fs/promises';

/**
 * `{ residentMB, peakResidentMB }` of process `pid` (VmRSS and VmHWM of /proc/<pid>/status, in
 * MiB). Throws when the process is gone or /proc is absent.
 */
export async function processMemory(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kibibytes = (field) => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm'));
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { residentMB: kibibytes('VmRSS') / 1024, peakResidentMB: kibibytes('VmHWM') / 1024 };
}
