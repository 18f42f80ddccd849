import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../test/run-cli-in-process.js';
import { writeDemoImages } from './demo-images.js';

const run = runCliInProcess;

const scratch = await mkdtemp(path.join(tmpdir(), 'civtag-cli-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('the civtag command line', () => {
  it('prints the commands for --help (exit 0) and for no command at all (exit 2)', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['import', 'serve', 'export', 'check', 'stats'])
      expect(help.stdout).toContain(command);
    expect((await run([])).code).toBe(2);
  });

  it('answers a usage mistake with exit 2, the reason and the usage, and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['tags'], /unknown command "tags"/],
      [['import', 'photos'], /--out <dataset> is required/],
      [['import', 'photos', '--out', 'd', '--colour'], /Unknown option '--colour'/],
      [['serve', '--port', 'eighty'], /--port must be a whole number from 0 to 65535/],
      [['export', 'd'], /exactly one of --zip FILE or --kohya DIR/],
      [['export', 'd', '--zip', 'a.zip', '--repeats', '3'], /--repeats goes with --kohya/],
      [['stats'], /missing argument/],
      [['check', 'a', 'b'], /unexpected argument "b"/],
      [['tag', 'd'], /--model <folder> is required/],
      [['tag', 'd', '--model', 'm', '--mode', 'overwrite'], /--mode must be propose/],
    ];
    for (const [args, reason] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toContain('Usage:');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('prints every error with exactly one civtag prefix', async () => {
    const folder = path.join(scratch, 'not-a-dataset');
    const cases: [string[], string][] = [
      [['tags'], 'civtag: unknown command "tags".'],
      [['import', 'photos'], 'civtag import: --out <dataset> is required.'],
      [['import', 'photos', '--out', 'd', '--colour'], "civtag import: Unknown option '--colour'."],
      [['serve', '--port', 'eighty'], 'civtag serve: --port must be a whole number'],
      [['export', 'd'], 'civtag export: give exactly one of --zip FILE or --kohya DIR.'],
      [['export', 'd', '--zip', 'a.zip', '--repeats', '3'], 'civtag export: --repeats goes with'],
      [['stats'], 'civtag stats: missing argument.'],
      [['check', 'a', 'b'], 'civtag check: unexpected argument "b".'],
      [['stats', folder], `civtag stats: ${folder} is not a civtag dataset`],
      [['export', folder, '--kohya', 'out'], `civtag export: ${folder} is not a civtag dataset`],
    ];
    for (const [args, start] of cases) {
      const result = await run(args);
      expect(result.stderr.startsWith(start), `${args.join(' ')}: ${result.stderr}`).toBe(true);
      expect(result.stderr).not.toMatch(/civtag( [a-z]+)?: civtag( [a-z]+)?:/);
    }
  });

  it('says what to run when a folder is not a dataset (exit 1), as JSON with --json', async () => {
    const folder = path.join(scratch, 'not-a-dataset');
    const text = await run(['stats', folder]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`civtag import <images> --out ${folder}`);
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const json = await run(['check', folder, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const usage = await run(['export', folder, '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('reports a stopped import as not done: ok false, a CANCELLED error, exit 1', async () => {
    const source = path.join(scratch, 'stopped-source');
    await writeDemoImages(source);
    const before = new Set(process.listeners('SIGINT'));
    const stopHandler = () => process.listeners('SIGINT').find((handler) => !before.has(handler));
    const running = run(['import', source, '--out', path.join(scratch, 'stopped'), '--json']);
    // Ctrl+C as soon as the import listens for it: the handler civtag installed is the signal.
    while (stopHandler() === undefined) await new Promise((resolve) => setImmediate(resolve));
    stopHandler()!('SIGINT');
    const result = await running;
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      state: 'cancelled',
      error: { code: 'CANCELLED' },
    });
    expect(result.stderr).toContain('run the same command again');
  });

  it('does not start serving when the import that serve --source began is stopped', async () => {
    const source = path.join(scratch, 'serve-stopped-source');
    await writeDemoImages(source);
    const before = new Set(process.listeners('SIGINT'));
    const stopHandler = () => process.listeners('SIGINT').find((handler) => !before.has(handler));
    const dataset = path.join(scratch, 'serve-stopped');
    const running = run(['serve', dataset, '--source', source, '--port', '0', '--json']);
    while (stopHandler() === undefined) await new Promise((resolve) => setImmediate(resolve));
    stopHandler()!('SIGINT');
    const result = await running;
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(result.stderr).toContain('run the same command again');
  });

  it('counts in words a person reads: one image, one duplicate with its caption merged, one error', async () => {
    const source = path.join(scratch, 'one-and-a-copy');
    await mkdir(source);
    const image = path.join(source, 'a.png');
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c33' } })
      .png()
      .toFile(image);
    await copyFile(image, path.join(source, 'b.png'));
    await writeFile(path.join(source, 'b.txt'), 'red');
    const dataset = path.join(scratch, 'one-and-a-copy-dataset');
    const imported = await run(['import', source, '--out', dataset]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('1 of 2 images in the dataset, 1 duplicate, 0 failed.');
    expect(imported.stdout).toContain('1 duplicate not copied');
    expect(imported.stdout).toContain('(caption merged into');
    const checked = await run(['check', dataset]);
    expect(checked.stdout).toContain('is under 64 px on a side');
    expect(checked.stdout).toContain('1 image: 0 errors, 1 warning.');
    const exported = await run(['export', dataset, '--kohya', path.join(scratch, 'kohya-one')]);
    expect(exported.stdout).toContain('Exported 1 image of');
  });

  it('exports and counts a caption edited in another program while civtag was not running', async () => {
    const source = path.join(scratch, 'edited-elsewhere');
    await writeDemoImages(source);
    const dataset = path.join(scratch, 'edited-elsewhere-dataset');
    expect((await run(['import', source, '--out', dataset, '--prefix', 'demo'])).code).toBe(0);
    await writeFile(path.join(dataset, 'demo_0001.txt'), 'edited elsewhere');

    const stats = await run(['stats', dataset, '--json']);
    expect(JSON.parse(stats.stdout).tags).toContainEqual({ tag: 'edited elsewhere', count: 1 });
    const exported = await run(['export', dataset, '--kohya', path.join(scratch, 'edited-kohya')]);
    expect(exported.code).toBe(0);
    const folder = path.join(scratch, 'edited-kohya', '10_demo');
    expect(await readFile(path.join(folder, 'demo_0001.txt'), 'utf8')).toBe('edited elsewhere');
  });

  it('prints each command’s own help with exit 0', async () => {
    for (const command of ['import', 'serve', 'export', 'check', 'stats']) {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: civtag ${command}`);
    }
  });
});
