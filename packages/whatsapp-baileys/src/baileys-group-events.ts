/*
 * Baileys' group events as the session port's `group` events:
 * - `groups.upsert`: a group this number created or was added to (full metadata, `author` who did it);
 * - `groups.update`: a change notification (`{id, subject | desc | announce | restrict | joinApprovalMode |
 *   inviteCode | ephemeralDuration, author, authorPn}`). Baileys also emits it with the full metadata of every
 *   group after `groupFetchAllParticipating` (a list, not a change): entries carrying `participants` are skipped;
 * - `group-participants.update`: `{id, author, authorPn, participants: [{id, phoneNumber?, lid?}], action}`
 *   (`modify`, a number change, is not reported);
 * - `group.join-request`: `{id, author, authorPn, participant (LID), participantPn, action, method}`; only a new
 *   request (`created`) is reported.
 */
import type { GroupChanges, GroupEvent, SessionEvent } from '@whatisup/core';
import type { BaileysEventMap, GroupMetadata } from '@whiskeysockets/baileys';
import type { BaileysSocket } from './baileys-socket.js';
import { toGroupInfo, toGroupPerson } from './to-group-info.js';

type Emit = (event: SessionEvent) => void;

function changesOf(update: Partial<GroupMetadata>): (GroupChanges & { inviteRotated?: boolean }) | null {
  const changes = {
    ...(update.subject !== undefined && { subject: update.subject }),
    ...(update.desc !== undefined && { description: update.desc || null }),
    ...(update.announce !== undefined && { announce: update.announce }),
    ...(update.restrict !== undefined && { locked: update.restrict }),
    ...(update.ephemeralDuration !== undefined && { ephemeralSeconds: update.ephemeralDuration }),
    ...(update.joinApprovalMode !== undefined && { joinApprovalMode: update.joinApprovalMode }),
    ...(update.inviteCode !== undefined && { inviteRotated: true }),
  };
  const { joinApprovalMode, ...rest } = changes as typeof changes & { joinApprovalMode?: boolean };
  const result = { ...rest, ...(joinApprovalMode !== undefined && { joinApproval: joinApprovalMode }) };
  return Object.keys(result).length === 0 ? null : result;
}

/** The session events of one Baileys group event; empty when it reports nothing the port carries. */
export function toGroupEvents<E extends 'groups.upsert' | 'groups.update' | 'group-participants.update' | 'group.join-request'>(
  name: E,
  payload: BaileysEventMap[E],
): GroupEvent[] {
  switch (name) {
    case 'groups.upsert':
      return (payload as BaileysEventMap['groups.upsert']).map((meta) => ({
        kind: 'created',
        group: toGroupInfo(meta),
        author: toGroupPerson({ id: meta.author, phoneNumber: meta.authorPn }),
      }));
    case 'groups.update':
      return (payload as BaileysEventMap['groups.update']).flatMap((update): GroupEvent[] => {
        if (!update.id || update.participants !== undefined) return [];
        const changes = changesOf(update);
        if (changes === null) return [];
        return [{ kind: 'updated', groupId: update.id, changes, author: toGroupPerson({ id: update.author, phoneNumber: update.authorPn }) }];
      });
    case 'group-participants.update': {
      const update = payload as BaileysEventMap['group-participants.update'];
      if (update.action === 'modify') return [];
      const participants = update.participants.flatMap((p) => {
        // Older Baileys versions gave bare JID strings.
        const person = toGroupPerson(typeof p === 'string' ? { id: p } : p);
        return person === null ? [] : [person];
      });
      if (participants.length === 0) return [];
      return [{ kind: 'participants', groupId: update.id, action: update.action, participants, author: toGroupPerson({ id: update.author, phoneNumber: update.authorPn }) }];
    }
    case 'group.join-request': {
      const request = payload as BaileysEventMap['group.join-request'];
      const participant = toGroupPerson({ id: request.participant ?? request.participantPn, phoneNumber: request.participantPn });
      if (request.action !== 'created' || participant === null) return [];
      return [
        {
          kind: 'join_request',
          groupId: request.id,
          participant,
          method: request.method ?? null,
          author: toGroupPerson({ id: request.author, phoneNumber: request.authorPn }),
        },
      ];
    }
  }
  return [];
}

/** Forwards the socket's group events to the session listener while the socket is the current one. */
export function bindGroupEvents(deps: { readonly socket: BaileysSocket; readonly emit: Emit; readonly isCurrent: () => boolean }): void {
  const names = ['groups.upsert', 'groups.update', 'group-participants.update', 'group.join-request'] as const;
  for (const name of names) {
    deps.socket.ev.on(name, (payload) => {
      if (!deps.isCurrent()) return;
      for (const event of toGroupEvents(name, payload)) deps.emit({ type: 'group', event });
    });
  }
}
