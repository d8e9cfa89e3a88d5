/*
 * Statements built and compiled once per shape, then run with each call's values.
 *
 * Kysely builds a statement as a tree of frozen nodes and compiles it by visiting that tree, on every call. For
 * the statements of a hot path (a stage, a claim, a settle, a receipt, each a statement of several CTEs) that
 * work was a fifth of the server's CPU per sent message, more than our own code. The SQL text of such a
 * statement depends only on its shape (fenced or not, carrying an event or not, which columns), never on the
 * values, so it is compiled once per shape: the builder runs against stand-ins for the values, the compiled
 * parameters that are stand-ins are remembered as paths into the values, and a later call only reads its values
 * along those paths and sends the SQL text.
 *
 * The builder must put the values into the statement as they are: a value it computes with, branches on or
 * spreads would be compiled into the text once and reused for every call. So whatever the SQL depends on goes
 * into the shape (and its key), and whatever a value is computed from is computed before the call. While checking
 * is on (`checkStatementTemplates(true)`, which the test suites call) every call also builds and compiles the
 * statement from its real values and throws unless the text and the parameters are the same: a builder that
 * breaks the rule fails the first test that runs it.
 */
import { isDeepStrictEqual } from 'node:util';
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './database.js';

const PATH = Symbol('statement template value path');

interface StandIn {
  readonly [PATH]: readonly string[];
}

/**
 * A stand-in for the value at `path`: reading a property of it stands in for that property. It says it has no
 * properties (`in`, keys), so Kysely takes it for a plain value and makes it a parameter. Computing with it
 * (comparing, concatenating, iterating) throws.
 */
function standIn(path: readonly string[]): unknown {
  const computed = () => {
    throw new Error(`A statement template's builder computed with its value "${path.join('.')}": what the SQL depends on belongs in the shape.`);
  };
  return new Proxy(Object.create(null) as object, {
    get: (_target, property) => {
      if (property === PATH) return path;
      if (property === Symbol.toPrimitive || property === Symbol.iterator) return computed;
      return typeof property === 'symbol' ? undefined : standIn([...path, property]);
    },
    has: () => false,
    ownKeys: () => [],
  });
}

const pathOf = (value: unknown): readonly string[] | undefined =>
  typeof value === 'object' && value !== null ? (value as Partial<StandIn>)[PATH] : undefined;

/** A parameter of the compiled text: read from the call's values along a path, or the same for every call. */
type Parameter = { readonly path: readonly string[] } | { readonly constant: unknown };

interface Compiled {
  readonly sql: string;
  readonly parameters: readonly Parameter[];
}

let checkingByDefault = false;

/**
 * Turns on (or off) checking every template's call against a build from its values, for templates that do not
 * say otherwise. For tests: it doubles the work of every such statement.
 */
export function checkStatementTemplates(enabled: boolean): void {
  checkingByDefault = enabled;
}

/** Whether templates check their calls unless they say otherwise. */
export const checkingStatementTemplates = (): boolean => checkingByDefault;

function read(values: unknown, path: readonly string[]): unknown {
  let value = values;
  for (const key of path) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return value;
}

export interface StatementTemplate<V, S, O> {
  /** Runs the statement of `shape` with `values`, on `db` (a transaction's connection, when `db` is one). */
  execute(db: Kysely<Database>, values: V, shape: S): Promise<QueryResult<O>>;
}

/**
 * `build` makes the statement of a shape from values it must not look into (see above); `key` names a shape,
 * and two shapes with one key must build the same SQL text.
 */
export function statementTemplate<V, S, O>(
  key: (shape: S) => string,
  build: (db: Kysely<Database>, values: V, shape: S) => Compilable<O>,
  options: { readonly check?: boolean } = {},
): StatementTemplate<V, S, O> {
  const compiled = new Map<string, Compiled>();
  const compile = (db: Kysely<Database>, shape: S): Compiled => {
    const query = build(db, standIn([]) as V, shape).compile();
    return {
      sql: query.sql,
      parameters: query.parameters.map((parameter) => {
        const path = pathOf(parameter);
        return path === undefined ? { constant: parameter } : { path };
      }),
    };
  };
  return {
    async execute(db, values, shape) {
      const name = key(shape);
      let statement = compiled.get(name);
      if (statement === undefined) {
        statement = compile(db, shape);
        compiled.set(name, statement);
      }
      const parameters = statement.parameters.map((parameter) => ('path' in parameter ? read(values, parameter.path) : parameter.constant));
      if (options.check ?? checkingByDefault) {
        const direct = build(db, values, shape).compile();
        if (direct.sql !== statement.sql || !isDeepStrictEqual([...direct.parameters], parameters)) {
          throw new Error(`The statement template "${name}" compiled to other SQL or parameters than its values build: its builder computes with a value.\n${statement.sql}\n${direct.sql}`);
        }
      }
      return db.executeQuery<O>(CompiledQuery.raw(statement.sql, parameters));
    },
  };
}

/**
 * The fields `keys` of `values`, as an object to insert or set. A builder cannot spread a stand-in (it has no
 * keys), so it names the columns, usually from its shape.
 */
export function fieldsOf<T, K extends keyof T>(values: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, values[key]])) as Pick<T, K>;
}
