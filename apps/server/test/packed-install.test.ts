import { execFile } from 'node:child_process';
import { readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { requireBuiltCli, runCivtag, scratchFolder, spawnServe, writeImages } from './harness.js';

// What a LoRA trainer does: `npm install --global civtag` from the registry. Here the registry's
// tarball is the one `pnpm pack` makes (what `pnpm publish` would upload), installed by plain npm
// into a fresh prefix, from a folder outside the workspace, with no pnpm or workspace variables.

const run = promisify(execFile);
const packageFolder = path.resolve(import.meta.dirname, '..');
const cleanUps: (() => Promise<void>)[] = [];
let root: string;
let bin: string;
let installedFolder: string;
let environment: NodeJS.ProcessEnv;

/** The environment of a shell on a machine with Node: nothing of npm, pnpm or the workspace. */
function plainEnvironment(prefix: string, home: string): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/^(npm_|pnpm_|PNPM_|INIT_CWD$|NODE_PATH$|VITEST|TURBO_)/i.test(name),
  );
  return {
    ...Object.fromEntries(kept),
    PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
  };
}

function civtag(args: string[], cwd: string) {
  return runCivtag(args, { cwd, bin, env: environment });
}

beforeAll(async () => {
  requireBuiltCli();
  root = await scratchFolder(cleanUps);
  const tarballs = path.join(root, 'tarballs');
  await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: packageFolder });
  const [tarball] = await readdir(tarballs);
  if (tarball === undefined) throw new Error(`pnpm pack left no tarball in ${tarballs}`);

  const prefix = path.join(root, 'prefix');
  const home = path.join(root, 'home');
  environment = plainEnvironment(prefix, home);
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      path.join(tarballs, tarball),
    ],
    { cwd: root, env: { ...environment, npm_config_cache: path.join(home, '.npm-cache') } },
  ).catch((error: { stderr?: string }) => {
    throw new Error(`npm install --global of ${tarball} failed:\n${error.stderr ?? error}`);
  });
  bin = path.join(prefix, 'bin', 'civtag');
  installedFolder = path.join(prefix, 'lib', 'node_modules', 'civtag');
}, 300_000);

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

describe('civtag installed globally by npm from its packed tarball', () => {
  it('installs the bundle, the web app and sharp, and nothing of the workspace', async () => {
    expect(await realpath(bin)).toBe(path.join(installedFolder, 'dist', 'cli.js'));
    const installed = JSON.parse(
      await readFile(path.join(installedFolder, 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies)).toEqual(['sharp']);
    const modules = await readdir(path.join(installedFolder, 'node_modules'));
    expect(modules).toContain('sharp');
    expect(modules).not.toContain('@civtag');
    expect(modules).not.toContain('fastify');
    const shipped = await readdir(path.join(installedFolder, 'dist'), { recursive: true });
    expect(shipped).toEqual(
      expect.arrayContaining([
        'cli.js',
        'THIRD-PARTY-LICENSES.txt',
        path.join('web', 'index.html'),
      ]),
    );
    expect(shipped.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('prints its version', async () => {
    const result = await civtag(['--version'], root);
    expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it('serves the built-in demo: health, the dataset and the web page', async () => {
    const serve = await spawnServe(['--port', '0'], { bin, env: environment });
    try {
      const base = `http://127.0.0.1:${serve.port}`;
      expect(await (await fetch(`${base}/api/health`)).json()).toEqual({
        captionsPending: 0,
        ok: true,
        // Served without --model: no auto-tagging from the browser.
        tagger: false,
        version: packageJson.version,
        // Without --database: the dataset's own folder, and this server writes its captions.
        store: 'file',
        captionWriter: true,
      });
      expect(await (await fetch(`${base}/api/dataset`)).json()).toMatchObject({
        imageCount: 24,
        settings: { prefix: 'demo' },
      });
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<script');
      const script = html.match(/src="([^"]+\.js)"/)?.[1];
      expect(script).toBeDefined();
      const app = await fetch(new URL(script!, base));
      expect(app.status).toBe(200);
      expect(app.headers.get('content-type')).toContain('javascript');
    } finally {
      serve.child.kill('SIGINT');
      expect((await serve.exited).code).toBe(0);
    }
  });

  it('serves a folder of images as given (civtag serve ~/pictures/sakura --prefix sakura --trigger sakura_style), importing it beside itself and writing nothing into it', async () => {
    const pictures = path.join(root, 'pictures', 'sakura');
    await writeImages(pictures, 2);
    const before = await readdir(pictures);
    const serve = await spawnServe(
      [pictures, '--prefix', 'sakura', '--trigger', 'sakura_style', '--port', '0'],
      { bin, env: environment },
    );
    try {
      const dataset = await (await fetch(`http://127.0.0.1:${serve.port}/api/dataset`)).json();
      expect(dataset).toMatchObject({
        imageCount: 2,
        settings: { prefix: 'sakura', triggerWord: 'sakura_style' },
      });
    } finally {
      serve.child.kill('SIGINT');
      expect((await serve.exited).code).toBe(0);
    }
    expect(await readdir(pictures)).toEqual(before);
    expect((await readdir(`${pictures}-dataset`)).sort()).toEqual([
      '.civtag',
      'sakura_0001.png',
      'sakura_0001.txt',
      'sakura_0002.png',
      'sakura_0002.txt',
    ]);
    expect(await readFile(path.join(`${pictures}-dataset`, 'sakura_0001.txt'), 'utf8')).toBe(
      'sakura_style',
    );
  });

  it('imports, checks, exports and serves a real folder', async () => {
    const work = path.join(root, 'work');
    await writeImages(path.join(work, 'photos'), 3);
    await writeFile(path.join(work, 'photos', 'sample-1.txt'), 'blue sky, cloud\n');

    const imported = await civtag(
      ['import', 'photos', '--out', 'set', '--prefix', 'sky', '--trigger', 'skystyle', '--json'],
      work,
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ state: 'done', done: 3 });
    expect(await readFile(path.join(work, 'set', 'sky_0002.txt'), 'utf8')).toBe(
      'skystyle, blue sky, cloud',
    );

    const checked = await civtag(['check', 'set'], work);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('3 images');

    const zipped = await civtag(['export', 'set', '--zip', 'set.zip'], work);
    expect(zipped.code).toBe(0);
    expect((await readFile(path.join(work, 'set.zip'))).subarray(0, 2).toString('latin1')).toBe(
      'PK',
    );
    const kohya = await civtag(['export', 'set', '--kohya', 'train', '--repeats', '5'], work);
    expect(kohya.code).toBe(0);
    expect(await readdir(path.join(work, 'train', '5_skystyle'))).toHaveLength(6);

    const serve = await spawnServe([path.join(work, 'set'), '--port', '0'], {
      bin,
      env: environment,
    });
    try {
      const dataset = await (await fetch(`http://127.0.0.1:${serve.port}/api/dataset`)).json();
      expect(dataset).toMatchObject({ imageCount: 3, settings: { prefix: 'sky' } });
    } finally {
      serve.child.kill('SIGINT');
      expect((await serve.exited).code).toBe(0);
    }
  });
});
