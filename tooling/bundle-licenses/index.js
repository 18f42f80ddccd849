// A bundle that holds other people's code must carry their licence notices (MIT, ISC, BSD and
// Apache-2.0 all ask for it). The esbuild metafile says exactly which files went in.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** The folder of the npm package that holds `file`: the part up to its last node_modules/<name>. */
function packageFolderOf(file) {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1 || at + 1 >= parts.length) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? at + 3 : at + 2;
  return parts.slice(0, length).join('/');
}

export async function writeBundleLicenses({ packageRoot, metafile, outFile }) {
  const meta = JSON.parse(await readFile(metafile, 'utf8'));
  const folders = new Set();
  for (const input of Object.keys(meta.inputs)) {
    const folder = packageFolderOf(input);
    if (folder !== undefined) folders.add(path.resolve(packageRoot, folder));
  }
  const notices = [];
  for (const folder of folders) {
    const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8'));
    const licenceFiles = (await readdir(folder)).filter((name) => LICENCE_FILE.test(name)).sort();
    const texts = await Promise.all(
      licenceFiles.map((name) => readFile(path.join(folder, name), 'utf8')),
    );
    const licence =
      typeof manifest.license === 'string' ? manifest.license : manifest.license?.type;
    if (licence === undefined && texts.length === 0) {
      throw new Error(
        `${manifest.name}@${manifest.version} (${folder}) names no licence and has no licence file: check its terms before bundling it.`,
      );
    }
    notices.push({ id: `${manifest.name}@${manifest.version}`, licence, texts });
  }
  notices.sort((a, b) => (a.id < b.id ? -1 : 1));
  const text = [
    'Third-party code bundled in this file set, with the licence of each package.',
    '',
    ...notices.flatMap(({ id, licence, texts }) => [
      '-'.repeat(78),
      `${id} — ${licence ?? 'see the licence text below'}`,
      '',
      ...texts.map((body) => body.trim()),
      '',
    ]),
  ].join('\n');
  await writeFile(outFile, text);
  if (existsSync(metafile)) await rm(metafile);
  return { packages: notices.map((notice) => notice.id) };
}
