/*
 * Chats (table `chats`). `touch` is one upsert, so concurrent messages of one chat each count (the row lock
 * of ON CONFLICT DO UPDATE orders them) and last activity only moves forward (GREATEST). `apply` creates the
 * row if absent, then locks and reads it (FOR UPDATE) before the update, so inside the caller's transaction
 * "before" and "after" are one consistent change; outside one, each statement stands alone. The list is
 * keyset-paged on (last_activity_at DESC, chat_id) through the `chats_activity` index.
 */
import { compareChats, decodeChatCursor, encodeChatCursor, type Chat, type ChatRepository } from '@whatisup/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChatsTable, Database } from './database.js';
import { fieldsOf, statementTemplate } from './statement-template.js';

function toChat(row: Selectable<ChatsTable>): Chat {
  return {
    customerId: row.customer_id,
    instanceId: row.instance_id,
    chatId: row.chat_id,
    name: row.name,
    unreadCount: row.unread_count,
    markedUnread: row.marked_unread,
    archived: row.archived,
    pinned: row.pinned,
    mutedUntil: row.muted_until,
    ephemeralSeconds: row.ephemeral_seconds,
    lastActivityAt: row.last_activity_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

interface TouchedChat {
  readonly customer_id: string;
  readonly instance_id: string;
  readonly chat_id: string;
  readonly name: string | null;
  readonly unread_count: number;
  readonly last_activity_at: Date;
  readonly created_at: Date;
  readonly updated_at: Date;
}

const TOUCHED_COLUMNS: ReadonlyArray<keyof TouchedChat> = ['customer_id', 'instance_id', 'chat_id', 'name', 'unread_count', 'last_activity_at', 'created_at', 'updated_at'];

/** A chat's touch (see `touch`), one upsert on every message, compiled once (statement-template.ts). */
const touchStatement = statementTemplate(
  () => 'chat touch',
  (db, v: TouchedChat) =>
    db
      .insertInto('chats')
      .values(fieldsOf(v, TOUCHED_COLUMNS))
      .onConflict((oc) =>
        oc.columns(['customer_id', 'instance_id', 'chat_id']).doUpdateSet({
          name: sql`COALESCE(chats.name, excluded.name)`,
          unread_count: sql`chats.unread_count + excluded.unread_count`,
          last_activity_at: sql`GREATEST(chats.last_activity_at, excluded.last_activity_at)`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .returningAll(),
);

export function createKyselyChatRepository(db: Kysely<Database>): ChatRepository {
  return {
    async find(key) {
      const row = await db
        .selectFrom('chats')
        .selectAll()
        .where('customer_id', '=', key.customerId)
        .where('instance_id', '=', key.instanceId)
        .where('chat_id', '=', key.chatId)
        .executeTakeFirst();
      return row === undefined ? null : toChat(row);
    },
    async apply(key, state, at) {
      const inserted = await db
        .insertInto('chats')
        .values({
          customer_id: key.customerId,
          instance_id: key.instanceId,
          chat_id: key.chatId,
          last_activity_at: state.lastActivityAt ?? at,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(['customer_id', 'instance_id', 'chat_id']).doNothing())
        .returning('chat_id')
        .executeTakeFirst();
      const current = await db
        .selectFrom('chats')
        .selectAll()
        .where('customer_id', '=', key.customerId)
        .where('instance_id', '=', key.instanceId)
        .where('chat_id', '=', key.chatId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const after = await db
        .updateTable('chats')
        .set({
          ...(state.name !== undefined && { name: state.name }),
          ...(state.unreadCount !== undefined && { unread_count: state.unreadCount }),
          ...(state.markedUnread !== undefined && { marked_unread: state.markedUnread }),
          ...(state.archived !== undefined && { archived: state.archived }),
          ...(state.pinned !== undefined && { pinned: state.pinned }),
          ...(state.mutedUntil !== undefined && { muted_until: state.mutedUntil }),
          ...(state.ephemeralSeconds !== undefined && { ephemeral_seconds: state.ephemeralSeconds }),
          ...(state.lastActivityAt !== undefined && { last_activity_at: sql<Date>`GREATEST(last_activity_at, ${state.lastActivityAt})` }),
          updated_at: at,
        })
        .where('customer_id', '=', key.customerId)
        .where('instance_id', '=', key.instanceId)
        .where('chat_id', '=', key.chatId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before: inserted === undefined ? toChat(current) : null, after: toChat(after) };
    },
    async touch(key, activity) {
      const row: TouchedChat = {
        customer_id: key.customerId,
        instance_id: key.instanceId,
        chat_id: key.chatId,
        name: activity.name ?? null,
        unread_count: activity.inbound ? 1 : 0,
        last_activity_at: activity.at,
        created_at: activity.at,
        updated_at: activity.at,
      };
      const touched = (await touchStatement.execute(db, row, undefined)).rows[0];
      if (touched === undefined) throw new Error('The chat touch answered no row.');
      return toChat(touched);
    },
    async delete(key) {
      const result = await db
        .deleteFrom('chats')
        .where('customer_id', '=', key.customerId)
        .where('instance_id', '=', key.instanceId)
        .where('chat_id', '=', key.chatId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list(customerId, instanceId, page, filter = {}) {
      const cursor = page.cursor == null ? null : decodeChatCursor(page.cursor);
      let query = db.selectFrom('chats').selectAll().where('customer_id', '=', customerId).where('instance_id', '=', instanceId);
      if (filter.archived !== undefined) query = query.where('archived', '=', filter.archived);
      if (filter.unread !== undefined) {
        query = filter.unread
          ? query.where((eb) => eb.or([eb('unread_count', '>', 0), eb('marked_unread', '=', true)]))
          : query.where('unread_count', '=', 0).where('marked_unread', '=', false);
      }
      if (cursor !== null) {
        query = query.where((eb) =>
          eb.or([
            eb('last_activity_at', '<', cursor.lastActivityAt),
            eb.and([eb('last_activity_at', '=', cursor.lastActivityAt), eb('chat_id', '>', cursor.chatId)]),
          ]),
        );
      }
      const rows = await query.orderBy('last_activity_at', 'desc').orderBy('chat_id', 'asc').limit(page.limit + 1).execute();
      const chats = rows.map(toChat).sort(compareChats);
      const data = chats.slice(0, page.limit);
      const last = data[data.length - 1];
      return { data, nextCursor: chats.length > page.limit && last !== undefined ? encodeChatCursor(last) : null };
    },
  };
}
