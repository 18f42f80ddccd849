// The CPU time of another process, read from /proc (Linux).
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's times: 100 on every Linux that civtag's benchmarks run on. */
const TICKS_PER_SECOND = 100;

/**
 * Seconds of CPU that process `pid` has used so far, user and kernel together (utime + stime of
 * /proc/<pid>/stat, its threads included). Throws when the process is gone or /proc is absent.
 */
export async function processCpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
