/*
 * Contacts of an instance: who is on WhatsApp, a contact's profile, picture and business profile, the phone
 * number behind a LID (live lookups: answered now or 504), and blocking (staged in the outbox: 202).
 */
import {
  BlocklistJson,
  BusinessProfileJson,
  CheckContactsBody,
  ContactCheckListJson,
  ContactJson,
  ContactParams,
  LidJson,
  LidParams,
  ProfilePictureJson,
  toBlockedContactJson,
  toBusinessProfileJson,
  toContactCheckJson,
  toContactJson,
  toLidJson,
  type ContactUseCases,
} from '@whatisup/core';
import type { AnyRouteSpec } from '../lib/create-router.js';
import { defineLiveLookupRoute } from '../lib/live-lookup-route.js';
import { defineOutboxActionRoute } from '../lib/outbox-action-route.js';
import { IdParams } from '../schemas/common-schemas.js';

export type ContactRoutesDeps = Pick<
  ContactUseCases,
  'checkContacts' | 'getContact' | 'resolveLid' | 'getProfilePicture' | 'getBusinessProfile' | 'getBlocklist' | 'blockContact'
>;

const tags = ['Contacts'];

export function contactRoutes(deps: ContactRoutesDeps): AnyRouteSpec[] {
  return [
    defineLiveLookupRoute({
      method: 'POST',
      url: '/v1/instances/:id/contacts/check',
      operationId: 'checkContacts',
      summary: 'Check which numbers are on WhatsApp',
      description: 'One answer per number (1 to 50), in the order given, with the phone JID and, when WhatsApp tells it, the LID.',
      tags,
      params: IdParams,
      body: CheckContactsBody,
      response: { status: 200, description: 'One answer per number.', schema: ContactCheckListJson },
      handler: async ({ principal, params, body }) => ({
        data: (await deps.checkContacts(principal, { instanceId: params.id, phoneNumbers: body.phone_numbers })).map(toContactCheckJson),
      }),
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/contacts/:contact',
      operationId: 'getContact',
      summary: 'Get a contact',
      description:
        'A contact by phone number, phone JID or LID, with both addresses as far as known. 404 when the address is not on WhatsApp.',
      tags,
      params: ContactParams,
      response: { status: 200, description: 'The contact.', schema: ContactJson },
      handler: async ({ principal, params }) => toContactJson(await deps.getContact(principal, { instanceId: params.id, contact: params.contact })),
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/contacts/:contact/profile-picture',
      operationId: 'getContactProfilePicture',
      summary: "Get a contact's profile picture",
      description:
        'A signed URL of the picture served by this API (`GET /v1/media/{token}`, no API key needed, expires like inbound media), ' +
        'or `url: null` when the contact has none or hides it from this number.',
      tags,
      params: ContactParams,
      response: { status: 200, description: 'The picture URL, or null.', schema: ProfilePictureJson },
      handler: async ({ principal, params }) => {
        const picture = await deps.getProfilePicture(principal, { instanceId: params.id, contact: params.contact });
        return { url: picture.url, expires_at: picture.expiresAt?.toISOString() ?? null };
      },
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/contacts/:contact/business-profile',
      operationId: 'getContactBusinessProfile',
      summary: "Get a contact's business profile",
      description: '404 when the contact is not a business account.',
      tags,
      params: ContactParams,
      response: { status: 200, description: 'The business profile.', schema: BusinessProfileJson },
      handler: async ({ principal, params }) =>
        toBusinessProfileJson(await deps.getBusinessProfile(principal, { instanceId: params.id, contact: params.contact })),
    }),
    defineOutboxActionRoute({
      method: 'POST',
      url: '/v1/instances/:id/contacts/:contact/block',
      operationId: 'blockContact',
      summary: 'Block a contact',
      tags,
      params: ContactParams,
      stage: ({ principal, params }, idempotencyKey) =>
        deps.blockContact(principal, { instanceId: params.id, contact: params.contact, block: true, idempotencyKey }),
    }),
    defineOutboxActionRoute({
      method: 'DELETE',
      url: '/v1/instances/:id/contacts/:contact/block',
      operationId: 'unblockContact',
      summary: 'Unblock a contact',
      tags,
      params: ContactParams,
      stage: ({ principal, params }, idempotencyKey) =>
        deps.blockContact(principal, { instanceId: params.id, contact: params.contact, block: false, idempotencyKey }),
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/blocklist',
      operationId: 'getBlocklist',
      summary: 'List blocked contacts',
      description: 'Everyone this number has blocked, with both addresses as far as known.',
      tags,
      params: IdParams,
      response: { status: 200, description: 'The blocked contacts.', schema: BlocklistJson },
      handler: async ({ principal, params }) => ({ data: (await deps.getBlocklist(principal, { instanceId: params.id })).map(toBlockedContactJson) }),
    }),
    defineLiveLookupRoute({
      method: 'GET',
      url: '/v1/instances/:id/lids/:lid',
      operationId: 'resolveLid',
      summary: 'Find the phone number behind a LID',
      description:
        'What was learnt before answers at once, also while the instance is down; otherwise WhatsApp is asked. ' +
        '`phone_number` is null when WhatsApp does not tell. The first time a number is learnt, `contact.resolved` fires.',
      tags,
      params: LidParams,
      response: { status: 200, description: 'The LID and its phone number, or null.', schema: LidJson },
      handler: async ({ principal, params }) => toLidJson(await deps.resolveLid(principal, { instanceId: params.id, lid: params.lid })),
    }),
  ];
}
