import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Every published package, packed with `npm pack` and installed into an empty project, loads
// with both `require` and `import` on this Node (DESIGN §1). Needs `npm run build` first (the
// README's `npm test` does it).
const root = resolve(__dirname, '../../../..');
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
  .filter((p) => p.pkg.private !== true);

describe('published packages load from their npm pack tarballs', () => {
  let project: string;

  beforeAll(() => {
    for (const p of packages) {
      if (!existsSync(join(p.dir, 'dist/cjs/index.js'))) throw new Error(`${p.pkg.name} is not built: run \`npm run build\` first`);
    }
    project = mkdtempSync(join(tmpdir(), 'gunhttp-smoke-'));
    const tarballs = packages.map((p) => {
      const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: p.dir, encoding: 'utf8' });
      return join(project, out.trim().split('\n').at(-1)!);
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'smoke', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', ...tarballs], { cwd: project, stdio: 'pipe' });
  }, 180000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it.each(packages.map((p) => p.pkg.name))('%s loads with require and import', (name) => {
    const cjs = execFileSync(process.execPath, ['-e', `process.stdout.write(Object.keys(require(${JSON.stringify(name)})).sort().join(','))`], { cwd: project, encoding: 'utf8' });
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); process.stdout.write(Object.keys(m).filter((k) => k !== 'default').sort().join(','))`], { cwd: project, encoding: 'utf8' });
    expect(cjs.length).toBeGreaterThan(0);
    expect(esm).toBe(cjs);
  });

  it('the tarballs hold dist and README, not sources or tests', () => {
    for (const p of packages) {
      const files = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: p.dir, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
      const paths = files[0]!.files.map((f) => f.path);
      expect(paths).toContain('package.json');
      expect(paths.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
      expect(paths.some((f) => f.startsWith('dist/esm/') && f.endsWith('.d.ts'))).toBe(true);
    }
  });

  it('the gun command runs from the installed tarball', () => {
    const out = execFileSync(process.execPath, [join(project, 'node_modules/@gunhttp/gun/dist/cjs/cli/main.js'), '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: gun');
  });
});
