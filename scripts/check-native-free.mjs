#!/usr/bin/env node
// Verifies that Sabre's production install is pure JavaScript: no compiled addons.
//
// In a temp dir: copy package.json + package-lock.json, run
//   npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
// then walk node_modules and fail (exit 1, listing them) if any `*.node` file or
// `binding.gyp` exists. Prints one OK line otherwise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

for (const f of ['package.json', 'package-lock.json']) {
  if (!fs.existsSync(path.join(REPO, f))) {
    console.error(`check:native: ${f} is missing in ${REPO}`);
    process.exit(1);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sabre-native-check-'));
let code = 0;
try {
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(tmp, 'package.json'));
  fs.copyFileSync(path.join(REPO, 'package-lock.json'), path.join(tmp, 'package-lock.json'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const r = spawnSync(npm, args, { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    console.error(`check:native: \`npm ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).trim()}`);
    code = 1;
  } else {
    const found = [];
    let files = 0, packages = 0;
    const nm = path.join(tmp, 'node_modules');
    const walk = (dir) => {
      let entries;
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { walk(p); continue; } // symlinks are not followed
        if (!e.isFile()) continue;
        files++;
        if (e.name.endsWith('.node') || e.name === 'binding.gyp') found.push(path.relative(tmp, p));
      }
    };
    if (fs.existsSync(nm)) {
      walk(nm);
      packages = fs.readdirSync(nm).filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(nm, n)).map((m) => `${n}/${m}`) : [n])).length;
    }
    if (found.length) {
      console.error(`check:native: FAIL: ${found.length} native file(s) in the production install:`);
      for (const f of found.sort()) console.error(`  ${f}`);
      code = 1;
    } else {
      console.log(`check:native: OK: no *.node or binding.gyp in the production install (${packages} top-level package(s), ${files} file(s) checked)`);
    }
  }
} finally {
  if (keep) console.log(`check:native: kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
