import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './parse-command.js';

describe('parseCommand', () => {
  it('parses customer create with --json', () => {
    expect(parseCommand(['customer', 'create', '--name', 'Acme', '--json'])).toEqual({
      name: 'customer create',
      customerName: 'Acme',
      json: true,
    });
  });

  it('parses key create with every option', () => {
    expect(
      parseCommand(['key', 'create', '--customer', 'cust_1', '--instance', 'inst_1', '--name', 'ci', '--expires-at', '2030-01-01T00:00:00Z']),
    ).toEqual({
      name: 'key create',
      customerId: 'cust_1',
      instanceId: 'inst_1',
      keyName: 'ci',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      json: false,
    });
  });

  it.each([
    [['bogus'], 'unknown command: bogus'],
    [['customer'], 'customer needs a command'],
    [['customer', 'create'], '--name is required'],
    [['customer', 'create', '--name', ''], '--name is required'],
    [['customer', 'create', '--name', 'A', '--colour', 'red'], "Unknown option '--colour'"],
    [['customer', 'list', 'extra'], 'unexpected argument: extra'],
    [['key', 'create'], '--customer is required'],
    [['key', 'create', '--customer', 'c', '--expires-at', 'tomorrow'], '--expires-at must be an ISO-8601 time'],
    [['key', 'revoke'], '--id is required'],
    [['migrate', '--force'], "Unknown option '--force'"],
    [['secrets'], 'secrets needs a command'],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('parses serve with and without the delivery worker', () => {
    expect(parseCommand(['serve'])).toEqual({ name: 'serve', worker: true });
    expect(parseCommand(['serve', '--no-worker'])).toEqual({ name: 'serve', worker: false });
  });

  it('parses credentials move-to-postgres', () => {
    expect(parseCommand(['credentials', 'move-to-postgres', '--json'])).toEqual({ name: 'credentials move-to-postgres', json: true });
    expect(() => parseCommand(['credentials'])).toThrow(/credentials needs a command/);
  });

  it('treats no arguments as help', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
  });
});
