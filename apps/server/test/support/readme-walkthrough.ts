/*
 * The README's "Five minutes with the sandbox", read from README.md itself so a test can follow it and the
 * walk-through cannot drift from the server unnoticed: the webhook receiver (a `node -e` one-liner), every
 * `curl` request with its method, URL, headers and body, and the shell block that checks a signature.
 *
 * Only the subset of shell the walk-through uses is understood: `VAR=$(curl … | jq -r .field)`, a plain
 * `curl …` (optionally after `sleep N;`, optionally piped into `jq -r .field`), single- and double-quoted
 * words, `$VAR` in double quotes and bare words, `\` line continuations and `# comments`. Anything else in
 * a `curl` line fails the parse, so a change to the README that this reader does not follow is loud.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const README_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../README.md');

const SECTION = '## Five minutes with the sandbox';
/** The port the README's receiver listens on and the webhook URL names. */
const README_RECEIVER_PORT = 4000;

export interface CurlRequest {
  /** The command as the README writes it, continuation lines joined. */
  readonly source: string;
  readonly method: string;
  /** With `$VARS` still in it: expand with `expand`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** `curl -N`: an event stream left open. */
  readonly stream: boolean;
  /** `VAR=$(curl …)`: the variable the answer's `field` is kept in. */
  readonly assigns: string | null;
  /** `| jq -r .field`: the field the README picks out of the answer. */
  readonly field: string | null;
  /** A trailing `# comment`, which the README uses to say what the command prints. */
  readonly comment: string | null;
}

export interface ReadmeWalkthrough {
  /** The receiver's shell command, listening on `port` instead of the README's 4000. */
  readonly receiverCommand: string;
  readonly requests: readonly CurlRequest[];
  /** The shell block that recomputes the signature of the receiver's last delivery. */
  readonly verifyScript: string;
}

/** The walk-through with the receiver's port (4000 in the README) replaced by `port`, in the receiver and the webhook URL alike. */
export function readReadmeWalkthrough(port: number, readme = readFileSync(README_PATH, 'utf8')): ReadmeWalkthrough {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const section = readme.slice(start, end === -1 ? undefined : end).replaceAll(`:${README_RECEIVER_PORT}/`, `:${port}/`);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!.replace(/\\\n\s*/g, ''));

  const receivers = blocks.flatMap((block) => block.split('\n')).filter((line) => line.startsWith('node -e '));
  if (receivers.length !== 1) throw new Error(`expected one "node -e" receiver in the walk-through, found ${receivers.length}`);
  const receiverCommand = receivers[0]!.replace(`.listen(${README_RECEIVER_PORT})`, `.listen(${port})`);
  if (receiverCommand === receivers[0]) throw new Error(`the README's receiver does not listen on ${README_RECEIVER_PORT}`);

  const verifyBlocks = blocks.filter((block) => block.includes('openssl dgst'));
  if (verifyBlocks.length !== 1) throw new Error(`expected one signature check block, found ${verifyBlocks.length}`);

  const requests = blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => /(^|[;(]\s*)curl\s/.test(line))
    .map(parseCurlLine);
  return { receiverCommand, requests, verifyScript: verifyBlocks[0]! };
}

/** Replaces `$NAME` and `${NAME}` with the value in `vars`; an unknown name is an error, not an empty string. */
export function expand(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = vars[name];
    if (value === undefined) throw new Error(`the walk-through uses $${name}, which the test does not set`);
    return value;
  });
}

function parseCurlLine(line: string): CurlRequest {
  const source = line.trim();
  let rest = source;
  let assigns: string | null = null;
  const assignment = /^(\w+)=\$\((.*)\)$/.exec(rest);
  if (assignment) {
    assigns = assignment[1]!;
    rest = assignment[2]!;
  }
  let comment: string | null = null;
  const commented = /^(.*?)\s+#\s*(.*)$/.exec(rest);
  if (commented && !commented[1]!.includes("'#")) {
    rest = commented[1]!;
    comment = commented[2]!.trim();
  }
  rest = rest.replace(/^sleep \d+;\s*/, '');
  let field: string | null = null;
  const piped = /^(.*?)\s+\|\s+jq -r \.(\w+)$/.exec(rest);
  if (piped) {
    rest = piped[1]!;
    field = piped[2]!;
  }
  const words = shellWords(rest);
  if (words[0] !== 'curl') throw new Error(`cannot follow this walk-through line: ${source}`);

  let method: string | null = null;
  let url: string | null = null;
  const headers: Record<string, string> = {};
  let body: string | null = null;
  let stream = false;
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    if (word === '-s') continue;
    if (word === '-N') stream = true;
    else if (word === '-X') method = words[++i]!;
    else if (word === '-d') body = words[++i]!;
    else if (word === '-H') {
      const header = words[++i]!;
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (!word.startsWith('-') && url === null) url = word;
    else throw new Error(`unknown curl argument ${word} in: ${source}`);
  }
  if (url === null) throw new Error(`no URL in: ${source}`);
  return { source, method: method ?? (body === null ? 'GET' : 'POST'), url, headers, body, stream, assigns, field, comment };
}

/** Splits a command into words: single quotes keep everything, double quotes keep `$VARS` for `expand`. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i]!;
    if (char === ' ') {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    if (char === "'" || char === '"') {
      const close = command.indexOf(char, i + 1);
      if (close === -1) throw new Error(`unbalanced ${char} in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, close);
      i = close;
      continue;
    }
    if ('|;()<>&`'.includes(char)) throw new Error(`cannot follow "${char}" in: ${command}`);
    word = (word ?? '') + char;
  }
  if (word !== null) words.push(word);
  return words;
}
