#!/usr/bin/env node
// Builds the package in the current directory twice from one source: ES modules to dist/esm and
// CommonJS to dist/cjs, each with its declarations, so the package loads with both `import` and
// `require` on Node 20. A package.json in each folder tells Node which format it holds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const cwd = process.cwd();

rmSync(join(cwd, 'dist'), { recursive: true, force: true });
const run = (args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...args], { cwd, stdio: 'inherit' });
run(['--outDir', 'dist/esm']);
run(['--outDir', 'dist/cjs', '--module', 'commonjs', '--moduleResolution', 'node10']);
for (const [dir, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
  mkdirSync(join(cwd, 'dist', dir), { recursive: true });
  writeFileSync(join(cwd, 'dist', dir, 'package.json'), JSON.stringify({ type }) + '\n');
}
