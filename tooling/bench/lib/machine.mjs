// What the figures were measured on: they only mean something beside this description.
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

async function describeFilesystem(folder) {
  try {
    const { stdout } = await run('df', ['-T', '-B1', folder]);
    const [device, type, size] = stdout.trim().split('\n').at(-1).split(/\s+/);
    return `${type} on ${device} (${Math.round(Number(size) / 2 ** 30)} GiB)`;
  } catch (error) {
    return `unknown (${error.message})`;
  }
}

async function describeCpuModel() {
  try {
    const { stdout } = await run('lscpu');
    const model = stdout.match(/^Model name:\s*(.+)$/m)?.[1]?.trim();
    if (model) return model;
  } catch {
    // lscpu is absent on some systems; os.cpus() names the model too.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The machine, the runtime and the moment of the run, as one plain object. */
export async function describeMachine(workFolder) {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: cpus().length,
    cpuModel: await describeCpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    filesystem: await describeFilesystem(workFolder),
    sharp: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
    loadAverageAtStart: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  };
}
