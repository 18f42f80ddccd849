import { spawn } from 'node:child_process';

/**
 * Opens `url` in the desktop's browser when there is one (`xdg-open`, `open`, `start`). A
 * machine without a desktop is not an error: the URL is printed anyway.
 */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser launcher here: the printed URL is the way in.
  }
}
