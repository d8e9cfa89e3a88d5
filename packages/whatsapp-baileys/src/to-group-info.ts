/*
 * Baileys' group shapes (`GroupMetadata`, `GroupParticipant`) as the session port's. A participant comes as
 * `{ id, phoneNumber?, lid?, admin }`: `id` is a phone JID in phone-addressed groups and a LID in LID-addressed
 * ones, the other form riding along when WhatsApp sent it.
 */
import type { GroupInfo, GroupMember, GroupPerson, GroupRole } from '@whatisup/core';
import { isLidUser, isPnUser, jidNormalizedUser, type GroupMetadata } from '@whiskeysockets/baileys';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

export interface BaileysPerson {
  readonly id?: string | null | undefined;
  readonly phoneNumber?: string | null | undefined;
  readonly lid?: string | null | undefined;
}

/** A Baileys participant (or author: a JID plus its `…Pn` twin) as both addresses as far as known; null without an id. */
export function toGroupPerson(person: BaileysPerson): GroupPerson | null {
  if (!person.id) return null;
  const jid = jidNormalizedUser(person.id);
  const phoneNumber = toPhoneNumber(person.phoneNumber ?? (isPnUser(jid) ? jid : null));
  const lid = toLidJid(person.lid ?? (isLidUser(jid) ? jid : null));
  return { jid, phoneNumber, lid };
}

const roleOf = (admin: string | null | undefined): GroupRole => (admin === 'superadmin' ? 'superadmin' : admin === 'admin' ? 'admin' : 'member');

export function toGroupInfo(meta: GroupMetadata): GroupInfo {
  const participants = meta.participants.flatMap((p): GroupMember[] => {
    const person = toGroupPerson(p);
    return person === null ? [] : [{ ...person, role: roleOf(p.admin) }];
  });
  return {
    id: meta.id,
    subject: meta.subject ?? '',
    description: meta.desc || null,
    owner: toGroupPerson({ id: meta.owner, phoneNumber: meta.ownerPn }),
    createdAt: meta.creation ? new Date(meta.creation * 1000) : null,
    settings: {
      announce: meta.announce === true,
      locked: meta.restrict === true,
      ephemeralSeconds: meta.ephemeralDuration ?? 0,
      joinApproval: meta.joinApprovalMode === true,
    },
    participants,
  };
}
