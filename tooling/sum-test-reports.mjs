// Sums every package's vitest JSON report into one line: "N passed, N failed".
// A package whose report is missing counts as one failure, so a crashed runner cannot look green.
// Each failed test is named on stderr with the first line of its error, just above that line: CI keeps only the
// tail of its output, and a failure that names neither file nor test cannot be reproduced.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let passed = 0;
let failed = 0;
for (const group of ['packages', 'apps', 'tooling']) {
  for (const name of readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name);
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
    const report = path.join(dir, '.vitest-report.json');
    if (!existsSync(report)) {
      console.error(`no test report from ${group}/${name}`);
      failed += 1;
      continue;
    }
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests ?? 0;
    for (const file of json.testResults ?? []) {
      const relative = path.relative(root, file.name ?? '');
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const firstLine = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
        console.error(`FAILED ${relative} > ${test.fullName ?? test.title}: ${firstLine}`);
      }
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')) {
        console.error(`FAILED ${relative} (the file itself): ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
      }
    }
    failed += (json.numFailedTests ?? 0) + (json.success === false && !json.numFailedTests ? 1 : 0);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
