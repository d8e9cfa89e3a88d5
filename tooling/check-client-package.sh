#!/usr/bin/env bash
# Proves @whatisup/client works for someone outside this workspace: builds and packs it (and core, which it
# takes its types from), installs the tarballs with npm into a scratch project under /tmp, imports both entry
# points with plain node, checks that the built JavaScript loads nothing but itself (no core, no valibot, no
# node: module, so it also runs in a browser), verifies a webhook signature made with node:crypto, and type-checks
# a small consumer with the scratch project's own TypeScript, without Node's typings, so the published types
# resolve through the installed core and stay precise. Inside the workspace the source export condition and
# pnpm's links would hide a missing dist file or an unresolvable type import.
# Prints one line "client package: ..." and exits non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."

TYPESCRIPT_VERSION=5.9.3
CLIENT_EXPORTS='WhatIsUpClient WhatIsUpError WhatIsUpConnectionError isWhatIsUpError Paginated EventStream createSseParser ROUTES'
WEBHOOK_EXPORTS='verifyWebhook isValidWebhook WebhookVerificationError'

work=$(mktemp -d /tmp/whatisup-client-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
log="$work/log"

fail() {
  echo "--- output of the failing step:"
  tail -n 40 "$log" 2>/dev/null || true
  echo "client package: FAILED: $*"
  exit 1
}
seconds_since() { echo $(( $(date +%s) - $1 )); }

# 1. Build and pack both, as a publish would (pnpm pack applies publishConfig and replaces workspace:*).
start=$(date +%s)
pnpm --filter @whatisup/core --filter @whatisup/client build >"$log" 2>&1 || fail "build"
for package in core client; do
  (cd "packages/$package" && pnpm pack --pack-destination "$work" >"$log" 2>&1) || fail "pnpm pack of $package"
done
core_tarball=$(ls "$work"/whatisup-core-*.tgz 2>/dev/null | head -n 1)
client_tarball=$(ls "$work"/whatisup-client-*.tgz 2>/dev/null | head -n 1)
[ -n "$core_tarball" ] && [ -n "$client_tarball" ] || fail "pnpm pack wrote no tarball"
pack_seconds=$(seconds_since "$start")

# 2. A scratch project outside the workspace, installed with npm the way a user would.
project="$work/project"
mkdir "$project"
cd "$project"
npm init -y >"$log" 2>&1 || fail "npm init"
npm pkg set type=module >"$log" 2>&1 || fail "npm pkg set type=module"
start=$(date +%s)
timeout 300 npm install --no-audit --no-fund --loglevel=error "$core_tarball" "$client_tarball" "typescript@$TYPESCRIPT_VERSION" >"$log" 2>&1 ||
  fail "npm install of the tarballs and typescript@$TYPESCRIPT_VERSION"
install_seconds=$(seconds_since "$start")

# 3. Plain node imports both entry points from dist and finds what they export.
cat >check-exports.mjs <<EOF
const checks = [
  ['@whatisup/client', '$CLIENT_EXPORTS'],
  ['@whatisup/client/webhooks', '$WEBHOOK_EXPORTS'],
];
for (const [specifier, names] of checks) {
  const resolved = import.meta.resolve(specifier);
  if (!resolved.includes('/node_modules/@whatisup/client/dist/')) throw new Error(specifier + ' resolved to ' + resolved + ', not to dist');
  const module = await import(specifier);
  const missing = names.split(' ').filter((name) => module[name] === undefined);
  if (missing.length > 0) throw new Error(specifier + ' does not export ' + missing.join(', '));
}
EOF
node check-exports.mjs >"$log" 2>&1 || fail "importing @whatisup/client with node"

# 4. The built JavaScript imports nothing outside itself: core is for types only, and no Node module is needed.
cat >check-imports.mjs <<'EOF'
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
const dist = 'node_modules/@whatisup/client/dist';
const files = readdirSync(dist, { recursive: true }).filter((file) => file.endsWith('.js'));
const outside = /(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"]([^'".][^'"]*)['"]|import\(\s*['"]([^'".][^'"]*)['"]\s*\)/g;
const found = [];
for (const file of files) {
  const text = readFileSync(path.join(dist, file), 'utf8');
  for (const match of text.matchAll(outside)) found.push(`${file}: ${match[1] ?? match[2]}`);
}
if (files.length === 0) throw new Error('no .js files in ' + dist);
if (found.length > 0) throw new Error('the client loads modules outside itself at run time:\n' + found.join('\n'));
EOF
node check-imports.mjs >"$log" 2>&1 || fail "the built client imports another module at run time"

# 5. Verification works from the installed package against a signature made independently.
cat >check-webhook.mjs <<'EOF'
import { createHmac, randomBytes } from 'node:crypto';
import { isValidWebhook } from '@whatisup/client/webhooks';
const secret = 'whsec_' + randomBytes(32).toString('base64');
const key = Buffer.from(secret.slice(6), 'base64');
const body = '{"event":"webhook.test","event_id":"evt_1","data":{}}';
const t = Math.floor(Date.now() / 1000);
const headers = {
  'webhook-id': 'evt_1',
  'webhook-timestamp': String(t),
  'webhook-signature': 'v1,' + createHmac('sha256', key).update(`evt_1.${t}.${body}`).digest('base64'),
  'x-whatisup-signature': `t=${t},v1=` + createHmac('sha256', key).update(`${t}.${body}`).digest('hex'),
};
for (const schemes of [['standard'], ['whatisup']]) {
  if (!(await isValidWebhook(body, headers, { secret, schemes }))) throw new Error(schemes + ': a valid signature was refused');
  if (await isValidWebhook(body + ' ', headers, { secret, schemes })) throw new Error(schemes + ': a tampered body was accepted');
}
EOF
node check-webhook.mjs >"$log" 2>&1 || fail "verifying a webhook with the installed package"

# 6. A TypeScript consumer without Node's typings: the types resolve through the installed core, stay precise
#    (a wrong status or a missing field is an error), and need only what browsers also have.
cat >tsconfig.json <<'EOF'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
  "noEmit": true, "skipLibCheck": true, "lib": ["ES2023", "DOM", "DOM.Iterable"], "types": [] }, "include": ["consumer.ts"] }
EOF
cat >consumer.ts <<'EOF'
import { WhatIsUpClient, isWhatIsUpError, type Instance, type SendMessageParams } from '@whatisup/client';
import { verifyWebhook } from '@whatisup/client/webhooks';

const client = new WhatIsUpClient({ baseUrl: 'http://localhost:3000', apiKey: 'wiu_x' });
export const connected: Instance['status'] = 'connected';
// @ts-expect-error not a status an instance can have
export const bogus: Instance['status'] = 'bogus';
// @ts-expect-error `to` is required
export const missingTo: SendMessageParams = { body: { type: 'text', text: 'hi' } };

export async function use(raw: string, headers: Headers): Promise<void> {
  for await (const message of client.messages.list({ status: 'read', limit: 50 })) message.whatsapp_id?.toUpperCase();
  const event = await verifyWebhook(raw, headers, { secret: 'whsec_x' });
  if (event.event === 'instance.connected') event.data.phone_number?.toUpperCase();
  try {
    await client.instances.create({ name: 'x', kind: 'sandbox' });
  } catch (error) {
    if (isWhatIsUpError(error, 'not_found')) console.error(error.requestId, error.status);
  }
}
EOF
./node_modules/.bin/tsc -p . >"$log" 2>&1 || fail "type-checking a consumer against the installed types"

# 7. One line for the CI log.
echo "client package: OK (build+pack ${pack_seconds}s, npm install ${install_seconds}s, exports present, no run-time import outside itself, webhook verified, types checked with TypeScript ${TYPESCRIPT_VERSION} without Node typings)"
