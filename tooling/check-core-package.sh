#!/usr/bin/env bash
# Proves @whatisup/core works for someone outside this workspace: builds and packs it, installs the tarball
# with npm (and vitest, its peer) into a scratch project under /tmp, imports it with plain node, checks that no
# adapter's framework or driver came along, and runs one of its contract suites against one of its in-memory
# adapters with the scratch project's own vitest. A workspace test cannot show this: inside the workspace the
# source export condition and pnpm's links hide a bundled vitest or a missing dist file.
# Prints one line "core package: ..." and exits non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."

VITEST_VERSION=4.1.12
# What an adapter brings; none of it may reach a project that installs only core.
FORBIDDEN='fastify bullmq @whiskeysockets/baileys kysely pg ioredis'
# Enough of the public surface to notice an empty or broken entry point.
CORE_EXPORTS='DomainError isDomainError newId systemClock createCreateCustomer'
TESTING_EXPORTS='createInMemoryUnitOfWork createInMemoryCustomerRepository describeCustomerRepositoryContract'

work=$(mktemp -d /tmp/whatisup-core-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
log="$work/log"

fail() {
  echo "--- output of the failing step:"
  tail -n 40 "$log" 2>/dev/null || true
  echo "core package: FAILED: $*"
  exit 1
}
seconds_since() { echo $(( $(date +%s) - $1 )); }

# 1. Build and pack, as a publish would (pnpm pack applies publishConfig).
start=$(date +%s)
pnpm --filter @whatisup/core build >"$log" 2>&1 || fail "build"
(cd packages/core && pnpm pack --pack-destination "$work" >"$log" 2>&1) || fail "pnpm pack"
tarball=$(ls "$work"/*.tgz 2>/dev/null | head -n 1)
[ -n "$tarball" ] || fail "pnpm pack wrote no tarball"
pack_seconds=$(seconds_since "$start")

# 2. A scratch project outside the workspace, installed with npm the way a user would.
project="$work/project"
mkdir "$project"
cd "$project"
npm init -y >"$log" 2>&1 || fail "npm init"
npm pkg set type=module >"$log" 2>&1 || fail "npm pkg set type=module"
start=$(date +%s)
timeout 300 npm install --no-audit --no-fund --loglevel=error "$tarball" "vitest@$VITEST_VERSION" >"$log" 2>&1 ||
  fail "npm install of the tarball and vitest@$VITEST_VERSION"
install_seconds=$(seconds_since "$start")

# 3. Plain node imports both entry points from dist and finds what they export.
cat >check-exports.mjs <<EOF
const checks = [
  ['@whatisup/core', '$CORE_EXPORTS'],
  ['@whatisup/core/testing', '$TESTING_EXPORTS'],
];
for (const [specifier, names] of checks) {
  const resolved = import.meta.resolve(specifier);
  if (!resolved.includes('/node_modules/@whatisup/core/dist/')) throw new Error(specifier + ' resolved to ' + resolved + ', not to dist');
  const module = await import(specifier);
  const missing = names.split(' ').filter((name) => module[name] === undefined);
  if (missing.length > 0) throw new Error(specifier + ' does not export ' + missing.join(', '));
}
EOF
node check-exports.mjs >"$log" 2>&1 || fail "importing @whatisup/core with node"

# 4. The installed tree holds no adapter dependency, at any depth.
npm ls --all --json >"$work/tree.json" 2>"$log" || true # non-zero on peer warnings; the JSON is what counts
cat >check-tree.mjs <<'EOF'
import { readFileSync } from 'node:fs';
const [treeFile, ...forbidden] = process.argv.slice(2);
const found = new Set();
const walk = (node) => {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (forbidden.includes(name)) found.add(name);
    walk(child);
  }
};
walk(JSON.parse(readFileSync(treeFile, 'utf8')));
if (found.size > 0) {
  console.error('installed with @whatisup/core: ' + [...found].join(', '));
  process.exit(1);
}
EOF
# shellcheck disable=SC2086 # FORBIDDEN is a list of names
node check-tree.mjs "$work/tree.json" $FORBIDDEN >"$log" 2>&1 || fail "an adapter dependency was installed with core"

# 5. The test kit runs under the project's own vitest: a contract suite against an in-memory adapter.
mkdir test
cat >test/core-test-kit.test.js <<'EOF'
import { createInMemoryUnitOfWork, describeCustomerRepositoryContract } from '@whatisup/core/testing';

describeCustomerRepositoryContract('in-memory, installed from the tarball', async () => {
  const uow = createInMemoryUnitOfWork();
  return { uow, repos: uow.repos };
});
EOF
timeout 300 ./node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile="$work/report.json" \
  >"$log" 2>&1 || fail "the core test kit under the project's own vitest"
passed=$(node -e '
  const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (report.numFailedTests > 0 || report.numPassedTests === 0) process.exit(1);
  console.log(report.numPassedTests);
' "$work/report.json" 2>>"$log") || fail "the contract suite ran no test or failed one"

# 6. One line for the CI log.
echo "core package: OK (build+pack ${pack_seconds}s, npm install ${install_seconds}s, exports present, no adapter dependency, ${passed} contract tests passed under vitest ${VITEST_VERSION})"
