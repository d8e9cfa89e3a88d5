// Project lint rules that a type checker cannot see. Exits non-zero naming each offending line.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && !file.includes('node_modules/'));

const rules = [
  {
    name: 'no focused tests (.only) — the rest of the file would silently not run',
    applies: (file) => /\.test\.ts$/.test(file),
    bad: /\b(it|test|describe)\.only\(/,
  },
  {
    name: 'no process.env outside configuration and tooling (STYLE: parse config once)',
    applies: (file) =>
      /^(packages|apps)\/.*\/src\//.test(file) && !/\.test\.ts$/.test(file) && !/apps\/server\/src\/(config|cli|main)/.test(file),
    bad: /process\.env\b/,
  },
  {
    name: 'no console.log in library code (use the injected logger)',
    applies: (file) => /^packages\/.*\/src\//.test(file) && !/\.test\.ts$/.test(file),
    bad: /console\.log\(/,
  },
  {
    name: 'no vi.mock of our own modules (STYLE: test against in-memory adapters)',
    applies: (file) => /\.test\.ts$/.test(file),
    bad: /vi\.mock\(['"](\.|@whatisup\/)/,
  },
];

let problems = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  const lines = text.split('\n');
  for (const rule of rules) {
    if (!rule.applies(file)) continue;
    lines.forEach((line, index) => {
      if (rule.bad.test(line)) {
        console.error(`${file}:${index + 1}: ${rule.name}`);
        problems += 1;
      }
    });
  }
}
// The dependency rule at the manifest level: what a package may even declare.
// Every packages/<name>/ with a package.json is core or an adapter; a new adapter is checked without editing this.
const packageNames = readdirSync('packages', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`packages/${entry.name}/package.json`))
  .map((entry) => entry.name);
for (const name of packageNames) {
  const manifest = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies });
  const allowed = name === 'core' ? [] : ['@whatisup/core', '@whatisup/test-infra'];
  for (const dep of declared.filter((d) => d.startsWith('@whatisup/') && !allowed.includes(d))) {
    console.error(`packages/${name}/package.json: may not depend on ${dep} (adapters depend on core only; only apps import adapters)`);
    problems += 1;
  }
  // What core ships with: the schema library at most (its test tools are dev or peer dependencies).
  if (name === 'core') {
    for (const dep of Object.keys(manifest.dependencies ?? {}).filter((d) => d !== 'valibot')) {
      console.error(`packages/core/package.json: core may not depend on ${dep} (valibot at most)`);
      problems += 1;
    }
  }
}

if (problems > 0) {
  console.error(`${problems} lint problem(s)`);
  process.exit(1);
}
console.log(`lint: ${files.length} files clean`);
