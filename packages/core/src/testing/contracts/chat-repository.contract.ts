import { describe, expect, it } from 'vitest';
import { aCustomer, anInstance } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `ChatRepository` must have. */
export function describeChatRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`ChatRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const { repos } = subject();
      const customer = await repos.customers.create(aCustomer());
      const instance = await repos.instances.create(anInstance(customer.id, { status: 'connected' }));
      return { customerId: customer.id, instanceId: instance.id };
    };
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    it('opens a chat on its first message, counts inbound ones, keeps the first name and never moves activity back', async () => {
      const { chats } = subject().repos;
      const scope = await newInstance();
      const key = { ...scope, chatId: '4915112345678@s.whatsapp.net' };
      expect(await chats.find(key)).toBeNull();
      const first = await chats.touch(key, { at: at(10), inbound: true, name: 'Alice' });
      expect(first).toMatchObject({ ...key, name: 'Alice', unreadCount: 1, markedUnread: false, archived: false, pinned: false, mutedUntil: null, ephemeralSeconds: 0 });
      expect(first.lastActivityAt).toEqual(at(10));
      await chats.touch(key, { at: at(5), inbound: true, name: 'Someone else' });
      const sent = await chats.touch(key, { at: at(20), inbound: false });
      expect(sent).toMatchObject({ name: 'Alice', unreadCount: 2 });
      expect(sent.lastActivityAt).toEqual(at(20));
      expect(await chats.find(key)).toEqual(sent);
    });

    it('applies only the fields given, says what the chat was before, and creates an unknown chat', async () => {
      const { chats } = subject().repos;
      const scope = await newInstance();
      const key = { ...scope, chatId: '120363000000000001@g.us' };
      const created = await chats.apply(key, { archived: true, name: 'Team' }, at(1));
      expect(created.before).toBeNull();
      expect(created.after).toMatchObject({ archived: true, pinned: false, name: 'Team', unreadCount: 0 });
      expect(created.after.lastActivityAt).toEqual(at(1));
      const changed = await chats.apply(key, { pinned: true, mutedUntil: at(3600), ephemeralSeconds: 86_400, unreadCount: 0, markedUnread: true }, at(2));
      expect(changed.before).toEqual(created.after);
      expect(changed.after).toMatchObject({ archived: true, pinned: true, name: 'Team', ephemeralSeconds: 86_400, markedUnread: true });
      expect(changed.after.mutedUntil).toEqual(at(3600));
      expect(changed.after.updatedAt).toEqual(at(2));
      const unmuted = await chats.apply(key, { mutedUntil: null, lastActivityAt: at(50) }, at(3));
      expect(unmuted.after.mutedUntil).toBeNull();
      expect(unmuted.after.lastActivityAt).toEqual(at(50));
      const older = await chats.apply(key, { lastActivityAt: at(20) }, at(4));
      expect(older.after.lastActivityAt).toEqual(at(50));
      const learnt = await chats.apply({ ...key, chatId: '120363000000000002@g.us' }, { lastActivityAt: at(-100) }, at(5));
      expect(learnt.after.lastActivityAt).toEqual(at(-100));
    });

    it("keeps each customer's and each instance's chats to themselves", async () => {
      const { chats, instances } = subject().repos;
      const mine = await newInstance();
      const theirs = await newInstance();
      const sibling = await instances.create(anInstance(mine.customerId, { status: 'connected' }));
      const chatId = '4915112345670@s.whatsapp.net';
      await chats.touch({ ...mine, chatId }, { at: at(1), inbound: true });
      expect(await chats.find({ ...theirs, chatId })).toBeNull();
      expect(await chats.find({ customerId: theirs.customerId, instanceId: mine.instanceId, chatId })).toBeNull();
      expect(await chats.find({ customerId: mine.customerId, instanceId: sibling.id, chatId })).toBeNull();
      expect((await chats.list(theirs.customerId, mine.instanceId, { limit: 10 })).data).toEqual([]);
      expect(await chats.delete({ customerId: theirs.customerId, instanceId: mine.instanceId, chatId })).toBe(false);
      expect(await chats.find({ ...mine, chatId })).not.toBeNull();
    });

    it('lists most recent activity first in pages, filters archived and unread, and refuses a foreign cursor', async () => {
      const { chats } = subject().repos;
      const scope = await newInstance();
      const ids = ['491510000001', '491510000002', '491510000003', '491510000004', '491510000005'].map((n) => `${n}@s.whatsapp.net`);
      for (const [i, chatId] of ids.entries()) await chats.touch({ ...scope, chatId }, { at: at(i), inbound: i % 2 === 0 });
      await chats.apply({ ...scope, chatId: ids[1]! }, { archived: true }, at(10));
      await chats.apply({ ...scope, chatId: ids[3]! }, { markedUnread: true }, at(10));
      const first = await chats.list(scope.customerId, scope.instanceId, { limit: 2 });
      expect(first.data.map((c) => c.chatId)).toEqual([ids[4], ids[3]]);
      expect(first.nextCursor).not.toBeNull();
      const second = await chats.list(scope.customerId, scope.instanceId, { limit: 2, cursor: first.nextCursor });
      expect(second.data.map((c) => c.chatId)).toEqual([ids[2], ids[1]]);
      const third = await chats.list(scope.customerId, scope.instanceId, { limit: 2, cursor: second.nextCursor });
      expect(third.data.map((c) => c.chatId)).toEqual([ids[0]]);
      expect(third.nextCursor).toBeNull();
      const list = async (filter: { archived?: boolean; unread?: boolean }) =>
        (await chats.list(scope.customerId, scope.instanceId, { limit: 10 }, filter)).data.map((c) => c.chatId);
      expect(await list({ archived: true })).toEqual([ids[1]]);
      expect(await list({ archived: false })).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      expect(await list({ unread: true })).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      expect(await list({ unread: false })).toEqual([ids[1]]);
      expect(await list({ unread: true, archived: false })).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      await expect(chats.list(scope.customerId, scope.instanceId, { limit: 2, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('orders chats with the same activity by chat id, so paging never repeats or skips one', async () => {
      const { chats } = subject().repos;
      const scope = await newInstance();
      const ids = ['491520000003', '491520000001', '491520000002'].map((n) => `${n}@s.whatsapp.net`);
      for (const chatId of ids) await chats.touch({ ...scope, chatId }, { at: at(7), inbound: false });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof chats.list>> = await chats.list(scope.customerId, scope.instanceId, { limit: 1, cursor });
        seen.push(...page.data.map((c) => c.chatId));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual([...ids].sort());
    });

    it('deletes a chat once, and counts every one of concurrent inbound messages', async () => {
      const { chats } = subject().repos;
      const scope = await newInstance();
      const key = { ...scope, chatId: '8765432115194@lid' };
      await Promise.all([1, 2, 3, 4].map((i) => chats.touch(key, { at: at(i), inbound: true })));
      expect((await chats.find(key))?.unreadCount).toBe(4);
      expect(await chats.delete(key)).toBe(true);
      expect(await chats.delete(key)).toBe(false);
      expect(await chats.find(key)).toBeNull();
    });
  });
}
