/*
 * A statement template compiles once per shape and runs each call with that call's values; in checking mode
 * a builder that bakes a value into the statement is caught at its next call.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { checkingStatementTemplates, statementTemplate } from '../src/statement-template.js';
import { useTestKysely } from './use-test-kysely.js';

let db: Kysely<Database>;

useTestKysely({ max: 2 }, (opened) => {
  db = opened.db;
});

interface Values {
  readonly name: string;
  readonly nested: { readonly at: Date; readonly tags: readonly string[] };
}

describe('a statement template', () => {
  it('is checked against its values in the tests of this package', () => {
    expect(checkingStatementTemplates(), 'test/setup.ts turns checking on').toBe(true);
  });

  it('builds each shape once and runs every call with its own values', async () => {
    const shapes: boolean[] = [];
    const template = statementTemplate(
      (upper: boolean) => `test:${upper}`,
      (kysely, v: Values, upper) => {
        shapes.push(upper);
        return kysely
          .selectNoFrom([
            (upper ? sql<string>`upper(${v.name}::text)` : sql<string>`${v.name}::text`).as('name'),
            sql<Date>`${v.nested.at}::timestamptz`.as('at'),
            sql<number>`cardinality(${v.nested.tags}::text[])`.as('tags'),
            sql<string>`${'fixed'}::text`.as('fixed'),
          ]);
      },
      { check: false },
    );
    const at = new Date('2026-01-02T03:04:05.678Z');
    const run = async (name: string, tags: string[], upper: boolean) => (await template.execute(db, { name, nested: { at, tags } }, upper)).rows[0];

    expect(await run('ada', ['a'], false)).toEqual({ name: 'ada', at, tags: 1, fixed: 'fixed' });
    expect(await run('bob', ['a', 'b', 'c'], false)).toEqual({ name: 'bob', at, tags: 3, fixed: 'fixed' });
    expect(await run('cy', [], true)).toEqual({ name: 'CY', at, tags: 0, fixed: 'fixed' });
    expect(await run('di', ['x'], true)).toEqual({ name: 'DI', at, tags: 1, fixed: 'fixed' });
    expect(shapes).toEqual([false, true]);
  });

  it('runs on the connection of the transaction it is given', async () => {
    await db.schema.createTable('template_probe').addColumn('name', 'text').execute();
    const template = statementTemplate(
      () => 'probe',
      (kysely, v: { readonly name: string }) => kysely.selectFrom('template_probe' as never).select(sql<number>`count(*)::int`.as('n')).where(sql<boolean>`name = ${v.name}`),
    );
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO template_probe VALUES ('in-transaction')`.execute(trx);
      expect((await template.execute(trx, { name: 'in-transaction' }, undefined)).rows[0]).toEqual({ n: 1 });
      expect((await template.execute(db, { name: 'in-transaction' }, undefined)).rows[0]).toEqual({ n: 0 });
    });
  });

  it('refuses, when checking, a builder that bakes a value it did not take from its values', async () => {
    let outside = 'first';
    const template = statementTemplate(
      () => 'baked',
      (kysely, v: { readonly name: string }) => kysely.selectNoFrom([sql<string>`${v.name}::text`.as('name'), sql<string>`${outside}::text`.as('outside')]),
      { check: true },
    );
    expect((await template.execute(db, { name: 'a' }, undefined)).rows[0]).toEqual({ name: 'a', outside: 'first' });
    outside = 'second';
    await expect(template.execute(db, { name: 'b' }, undefined)).rejects.toThrow(/statement template "baked" compiled to other SQL or parameters/);
  });

  it('refuses, when checking, a shape whose key does not tell its SQL apart', async () => {
    const template = statementTemplate(
      () => 'one key',
      (kysely, v: { readonly name: string }, upper: boolean) => kysely.selectNoFrom((upper ? sql<string>`upper(${v.name})` : sql<string>`${v.name}`).as('name')),
      { check: true },
    );
    expect((await template.execute(db, { name: 'a' }, false)).rows[0]).toEqual({ name: 'a' });
    await expect(template.execute(db, { name: 'b' }, true)).rejects.toThrow(/statement template "one key" compiled to other SQL/);
  });

  it('throws when a builder computes with a value', () => {
    const template = statementTemplate(
      () => 'list',
      (kysely, v: { readonly ids: readonly string[] }) => kysely.selectNoFrom(sql<boolean>`'a' IN (${sql.join([...v.ids])})`.as('found')),
    );
    return expect(template.execute(db, { ids: ['a', 'b'] }, undefined)).rejects.toThrow(/computed with its value "ids"/);
  });
});
