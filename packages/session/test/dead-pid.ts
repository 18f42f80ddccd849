import { spawn } from 'node:child_process';

/** The pid of a process that has exited (and been reaped), so it is certainly not running. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start a child process to get a dead pid.');
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}
