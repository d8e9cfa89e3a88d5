/*
 * Groups on a connected session: questions (which groups, who is in one, its invite code) and the changes
 * whose answer the caller needs (create: the new group and what happened to each participant; participant
 * changes: one result per person; a new invite code). The caller bounds every call with a deadline
 * (session-lookups.ts), as for the directory. Changes that need no answer (settings, leaving) are outbox
 * actions instead (whatsapp-action.ts).
 *
 * A group is named by its JID (`<digits>[-<digits>]@g.us`); people by an MSISDN or a JID (`…@s.whatsapp.net`,
 * `…@lid`). Every method throws `WhatsAppSendError('not_connected')` when the connection is not open,
 * `DomainError('not_found')` for a group this number is not in (or that does not exist), and
 * `DomainError('conflict')` when WhatsApp refuses because this number is not an admin of the group.
 */

export type GroupRole = 'member' | 'admin' | 'superadmin';

/** A person as a group names them: the JID WhatsApp used, and both addresses as far as known. */
export interface GroupPerson {
  readonly jid: string;
  /** MSISDN, or null when only the LID is known. */
  readonly phoneNumber: string | null;
  /** LID JID, or null when WhatsApp did not tell it. */
  readonly lid: string | null;
}

export interface GroupMember extends GroupPerson {
  readonly role: GroupRole;
}

export interface GroupSettings {
  /** Only admins may send messages. */
  readonly announce: boolean;
  /** Only admins may edit the group's subject, description and picture. */
  readonly locked: boolean;
  /** Disappearing messages after this many seconds; 0: off. */
  readonly ephemeralSeconds: number;
  /** Joining by invite needs an admin's approval. */
  readonly joinApproval: boolean;
}

export interface GroupInfo {
  /** The group JID (`…@g.us`). */
  readonly id: string;
  readonly subject: string;
  readonly description: string | null;
  /** Who created the group, when WhatsApp tells it. */
  readonly owner: GroupPerson | null;
  readonly createdAt: Date | null;
  readonly settings: GroupSettings;
  readonly participants: readonly GroupMember[];
}

/**
 * What happened to one person of a participant change. `refused`: WhatsApp said no; `reason` says why
 * (`privacy`: their settings forbid being added, `not_on_whatsapp`, `not_a_participant`, `already_participant`,
 * `recently_left`, `not_authorized`, or WhatsApp's own word) and `code` is WhatsApp's status code.
 * `invited`: not added, but WhatsApp holds an invitation they may accept.
 */
export type ParticipantOutcome = 'added' | 'invited' | 'removed' | 'promoted' | 'demoted' | 'approved' | 'rejected' | 'refused';

export interface ParticipantResult {
  readonly jid: string;
  readonly status: ParticipantOutcome;
  readonly reason: string | null;
  readonly code: number | null;
}

export const GROUP_PARTICIPANT_ACTIONS = ['add', 'remove', 'promote', 'demote'] as const;
export type GroupParticipantAction = (typeof GROUP_PARTICIPANT_ACTIONS)[number];

/** Changes to a group's subject, description and settings; absent keys stay as they are. */
export interface GroupChanges {
  readonly subject?: string;
  /** null or '' removes the description. */
  readonly description?: string | null;
  readonly announce?: boolean;
  readonly locked?: boolean;
  readonly ephemeralSeconds?: number;
  readonly joinApproval?: boolean;
}

export interface JoinRequest extends GroupPerson {
  readonly requestedAt: Date | null;
  /** How they asked: `invite_link`, `linked_group_join`, `non_admin_add`, or null when WhatsApp does not say. */
  readonly method: string | null;
}

export interface CreatedGroup {
  readonly group: GroupInfo;
  /** One result per participant asked for, in the order asked. */
  readonly results: readonly ParticipantResult[];
  /** The invite code right after creation, or null when WhatsApp did not give one. */
  readonly inviteCode: string | null;
}

export interface WhatsAppGroups {
  create(subject: string, participants: readonly string[]): Promise<CreatedGroup>;
  /** Every group this number is in. */
  list(): Promise<GroupInfo[]>;
  /** One group; throws not_found when this number is not in it. */
  get(groupId: string): Promise<GroupInfo>;
  /** One result per participant, in the order asked. */
  updateParticipants(groupId: string, action: GroupParticipantAction, participants: readonly string[]): Promise<ParticipantResult[]>;
  /** Sets the group's picture (an image already checked by the caller). */
  setPicture(groupId: string, image: { readonly data: Uint8Array; readonly mimeType: string }): Promise<void>;
  inviteCode(groupId: string): Promise<string>;
  /** Revokes the current invite code and returns the new one. */
  rotateInvite(groupId: string): Promise<string>;
  /** Joins by invite code; returns the group JID. Throws not_found for an unknown or revoked code. */
  join(inviteCode: string): Promise<string>;
  joinRequests(groupId: string): Promise<JoinRequest[]>;
  /** One result per person, in the order asked. */
  answerJoinRequests(groupId: string, action: 'approve' | 'reject', participants: readonly string[]): Promise<ParticipantResult[]>;
  /** Applies subject, description and settings changes (the outbox action `group_update`). */
  update(groupId: string, changes: GroupChanges): Promise<void>;
  /** Leaves the group (the outbox action `group_leave`). */
  leave(groupId: string): Promise<void>;
}

/** What a session reports about its groups, whoever caused it (this API, the phone, another member). */
export type GroupEvent =
  /** A group this number was added to or created. */
  | { readonly kind: 'created'; readonly group: GroupInfo; readonly author: GroupPerson | null }
  /** Subject, description or settings changed; only the changed keys are present. */
  | {
      readonly kind: 'updated';
      readonly groupId: string;
      readonly changes: GroupChanges & { readonly inviteRotated?: boolean };
      readonly author: GroupPerson | null;
    }
  | {
      readonly kind: 'participants';
      readonly groupId: string;
      readonly action: GroupParticipantAction;
      readonly participants: readonly GroupPerson[];
      readonly author: GroupPerson | null;
    }
  /** Someone asked to join a group that needs approval. */
  | {
      readonly kind: 'join_request';
      readonly groupId: string;
      readonly participant: GroupPerson;
      readonly method: string | null;
      readonly author: GroupPerson | null;
    };
