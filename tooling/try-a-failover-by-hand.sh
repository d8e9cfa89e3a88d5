#!/usr/bin/env bash
# A failover by hand (docs/scaling.md): three nodes on one Postgres and one Redis, a sandbox instance, and a
# client that sends 60 messages through a node that does not run the instance while the node that does gets
# kill -9 after message 20. It prints whether every message reached the webhook receiver (`message.sent`)
# exactly once and in order. Needs a built server (`pnpm start` builds it), psql, curl and openssl, and
# Postgres (trust auth) and Redis on 127.0.0.1; ports 4001-4003 and 4900 must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=wiu_demo_$$
export DATABASE_URL=$PGURL/$DB REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379} REDIS_PREFIX=wiu-demo-$$
export API_KEY_PEPPER=$(openssl rand -hex 32) SECRETS_KEY=$(openssl rand -base64 32) NODE_ENV=test
export WEBHOOK_ALLOW_CIDRS=127.0.0.1/32 SANDBOX_AUTO_SCAN_MS=200 LOG_LEVEL=info HOST=127.0.0.1
psql -q "$PGURL/postgres" -c "CREATE DATABASE $DB"
node apps/server/dist/cli.js migrate >/dev/null
CUS=$(node apps/server/dist/cli.js customer create --name demo --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
KEY=$(node apps/server/dist/cli.js key create --customer "$CUS" --name demo --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
# A webhook receiver that appends each body to a file.
export HOOKS=/tmp/wiu-demo-hooks-$$.ndjson
node -e 'require("http").createServer((q,s)=>{let b="";q.on("data",c=>b+=c);q.on("end",()=>{require("fs").appendFileSync(process.env.HOOKS,b+"\n");s.end("ok")})}).listen(4900,"127.0.0.1")' & RECV=$!
rm -f "$HOOKS"
declare -A PID
for p in 4001 4002 4003; do
  PORT=$p NODE_ADDRESS=http://127.0.0.1:$p DATA_DIR=$(mktemp -d) node apps/server/dist/main.js > /tmp/wiu-demo-node-$p.log 2>&1 & PID[$p]=$!
done
for p in 4001 4002 4003; do until curl -sf http://127.0.0.1:$p/healthz >/dev/null; do sleep 0.3; done; done
api() { local p=$1 m=$2 path=$3; shift 3; curl -s -X "$m" -H "authorization: Bearer $KEY" -H 'content-type: application/json' "http://127.0.0.1:$p$path" "$@"; }
api 4001 POST /v1/webhook-endpoints -d '{"url":"http://127.0.0.1:4900/hooks","events":["message.sent"]}' >/dev/null
INST=$(api 4001 POST /v1/instances -d '{"name":"demo","kind":"sandbox"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
api 4001 POST /v1/instances/$INST/connect >/dev/null
until [ "$(api 4001 GET /v1/instances/$INST | node -pe 'JSON.parse(require("fs").readFileSync(0)).status')" = connected ]; do sleep 0.5; done
sleep 12 # a placement round or two: the instance settles on the node rendezvous hashing picks
OWNER_ADDR=$(psql -tA "$DATABASE_URL" -c "SELECT n.address FROM session_leases l JOIN nodes n ON n.id = l.node_id WHERE l.instance_id = '$INST'")
OWNER=${OWNER_ADDR##*:}
VIA=$([ "$OWNER" = 4002 ] && echo 4003 || echo 4002)
echo "instance $INST runs on node :$OWNER; the client sends through node :$VIA"
for i in $(seq 1 60); do
  code=$(api $VIA POST /v1/instances/$INST/messages -o /dev/null -w '%{http_code}' -H "idempotency-key: demo-$i" -d "{\"to\":\"4915100000001\",\"body\":{\"type\":\"text\",\"text\":\"demo $i\"},\"client_ref\":\"demo-$i\"}")
  [ "$code" = 202 ] || echo "message $i: HTTP $code"
  if [ $i = 20 ]; then kill -9 ${PID[$OWNER]}; echo "kill -9 of node :$OWNER after message 20 at $(date +%T)"; fi
  sleep 0.1
done
echo "waiting until no message is queued..."
until [ "$(psql -tA "$DATABASE_URL" -c "SELECT count(*) FROM messages WHERE status='queued'")" = 0 ]; do sleep 1; done
sleep 3
NEW_ADDR=$(psql -tA "$DATABASE_URL" -c "SELECT n.address FROM session_leases l JOIN nodes n ON n.id = l.node_id WHERE l.instance_id = '$INST'")
echo "instance now runs on ${NEW_ADDR}; done at $(date +%T)"
node -e '
const lines = require("fs").readFileSync(process.env.HOOKS,"utf8").trim().split("\n").map(JSON.parse);
const seen = new Set(); const refs = [];
for (const e of lines) { if (seen.has(e.event_id)) continue; seen.add(e.event_id); refs.push(Number(e.data.client_ref.split("-")[1])); }
const dup = refs.length - new Set(refs).size;
const ordered = refs.every((r, i) => i === 0 || refs[i - 1] < r);
console.log(`message.sent events: ${refs.length} distinct (${lines.length} requests), duplicates of a message: ${dup}, in order: ${ordered}, missing: ${[...Array(60).keys()].map(i=>i+1).filter(i=>!refs.includes(i)).join(",") || "none"}`);
'
psql -tA "$DATABASE_URL" -c "SELECT count(*) FILTER (WHERE n <> 1) AS not_sent_once FROM (SELECT m.id, count(h.*) FILTER (WHERE h.status='sent') n FROM messages m LEFT JOIN message_status_history h ON h.message_id=m.id GROUP BY m.id) x" | sed 's/^/messages not sent exactly once (Postgres): /'
for p in "${!PID[@]}"; do kill ${PID[$p]} 2>/dev/null || true; done; kill $RECV
wait 2>/dev/null || true
psql -q "$PGURL/postgres" -c "DROP DATABASE $DB WITH (FORCE)"
rm -f "$HOOKS"
