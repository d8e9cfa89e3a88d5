/*
 * Every route of the server's OpenAPI document, by its operationId, as the client calls it. The resources
 * build their requests from this table only, and a test compares it with a running server's
 * `GET /openapi.json`: a route the server gains without a client method here fails that test.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  readonly method: HttpMethod;
  /** OpenAPI syntax: `/v1/instances/{id}`. */
  readonly path: string;
}

export const ROUTES = {
  // Instances and pairing
  createInstance: { method: 'POST', path: '/v1/instances' },
  listInstances: { method: 'GET', path: '/v1/instances' },
  getInstance: { method: 'GET', path: '/v1/instances/{id}' },
  deleteInstance: { method: 'DELETE', path: '/v1/instances/{id}' },
  connectInstance: { method: 'POST', path: '/v1/instances/{id}/connect' },
  getInstanceQr: { method: 'GET', path: '/v1/instances/{id}/qr' },
  requestPairingCode: { method: 'POST', path: '/v1/instances/{id}/pair-code' },
  logoutInstance: { method: 'POST', path: '/v1/instances/{id}/logout' },
  restartInstance: { method: 'POST', path: '/v1/instances/{id}/restart' },
  scanSandboxQr: { method: 'POST', path: '/v1/instances/{id}/sandbox/scan' },
  injectSandboxMessage: { method: 'POST', path: '/v1/instances/{id}/sandbox/inbound' },
  // Messages and media
  sendMessage: { method: 'POST', path: '/v1/instances/{id}/messages' },
  sendMessageToInstance: { method: 'POST', path: '/v1/messages' },
  listMessages: { method: 'GET', path: '/v1/messages' },
  getMessage: { method: 'GET', path: '/v1/messages/{id}' },
  editMessage: { method: 'PATCH', path: '/v1/messages/{id}' },
  revokeMessage: { method: 'DELETE', path: '/v1/messages/{id}' },
  forwardMessage: { method: 'POST', path: '/v1/messages/{id}/forward' },
  getMedia: { method: 'GET', path: '/v1/media/{token}' },
  // Contacts and LIDs
  checkContacts: { method: 'POST', path: '/v1/instances/{id}/contacts/check' },
  getContact: { method: 'GET', path: '/v1/instances/{id}/contacts/{contact}' },
  getContactProfilePicture: { method: 'GET', path: '/v1/instances/{id}/contacts/{contact}/profile-picture' },
  getContactBusinessProfile: { method: 'GET', path: '/v1/instances/{id}/contacts/{contact}/business-profile' },
  blockContact: { method: 'POST', path: '/v1/instances/{id}/contacts/{contact}/block' },
  unblockContact: { method: 'DELETE', path: '/v1/instances/{id}/contacts/{contact}/block' },
  getBlocklist: { method: 'GET', path: '/v1/instances/{id}/blocklist' },
  resolveLid: { method: 'GET', path: '/v1/instances/{id}/lids/{lid}' },
  // Presence and chats
  setPresence: { method: 'POST', path: '/v1/instances/{id}/presence' },
  subscribePresence: { method: 'POST', path: '/v1/instances/{id}/presence/subscriptions' },
  markChatRead: { method: 'POST', path: '/v1/instances/{id}/chats/{chat_id}/read' },
  // Groups
  createGroup: { method: 'POST', path: '/v1/instances/{id}/groups' },
  listGroups: { method: 'GET', path: '/v1/instances/{id}/groups' },
  getGroup: { method: 'GET', path: '/v1/instances/{id}/groups/{group_id}' },
  updateGroup: { method: 'PATCH', path: '/v1/instances/{id}/groups/{group_id}' },
  setGroupPicture: { method: 'PUT', path: '/v1/instances/{id}/groups/{group_id}/picture' },
  updateGroupParticipants: { method: 'POST', path: '/v1/instances/{id}/groups/{group_id}/participants' },
  getGroupInvite: { method: 'GET', path: '/v1/instances/{id}/groups/{group_id}/invite' },
  rotateGroupInvite: { method: 'POST', path: '/v1/instances/{id}/groups/{group_id}/invite/rotate' },
  joinGroup: { method: 'POST', path: '/v1/instances/{id}/groups/join' },
  leaveGroup: { method: 'POST', path: '/v1/instances/{id}/groups/{group_id}/leave' },
  listGroupJoinRequests: { method: 'GET', path: '/v1/instances/{id}/groups/{group_id}/join-requests' },
  answerGroupJoinRequests: { method: 'POST', path: '/v1/instances/{id}/groups/{group_id}/join-requests' },
  injectSandboxGroupEvent: { method: 'POST', path: '/v1/instances/{id}/sandbox/group-events' },
  listChats: { method: 'GET', path: '/v1/instances/{id}/chats' },
  getChat: { method: 'GET', path: '/v1/instances/{id}/chats/{chat_id}' },
  updateChat: { method: 'PATCH', path: '/v1/instances/{id}/chats/{chat_id}' },
  deleteChat: { method: 'DELETE', path: '/v1/instances/{id}/chats/{chat_id}' },
  // Webhook endpoints and deliveries
  createWebhookEndpoint: { method: 'POST', path: '/v1/webhook-endpoints' },
  listWebhookEndpoints: { method: 'GET', path: '/v1/webhook-endpoints' },
  getWebhookEndpoint: { method: 'GET', path: '/v1/webhook-endpoints/{id}' },
  updateWebhookEndpoint: { method: 'PATCH', path: '/v1/webhook-endpoints/{id}' },
  deleteWebhookEndpoint: { method: 'DELETE', path: '/v1/webhook-endpoints/{id}' },
  rotateWebhookSecret: { method: 'POST', path: '/v1/webhook-endpoints/{id}/rotate-secret' },
  sendTestWebhook: { method: 'POST', path: '/v1/webhook-endpoints/{id}/test' },
  listWebhookDeliveries: { method: 'GET', path: '/v1/webhook-deliveries' },
  getWebhookDelivery: { method: 'GET', path: '/v1/webhook-deliveries/{id}' },
  replayWebhookDelivery: { method: 'POST', path: '/v1/webhook-deliveries/{id}/replay' },
  recoverWebhookDeliveries: { method: 'POST', path: '/v1/webhook-deliveries/recover' },
  // API keys, audit, limits
  createApiKey: { method: 'POST', path: '/v1/api-keys' },
  listApiKeys: { method: 'GET', path: '/v1/api-keys' },
  revokeApiKey: { method: 'DELETE', path: '/v1/api-keys/{id}' },
  listAuditEvents: { method: 'GET', path: '/v1/audit-events' },
  getLimits: { method: 'GET', path: '/v1/limits' },
  // Events
  streamEvents: { method: 'GET', path: '/v1/events' },
  createEventToken: { method: 'POST', path: '/v1/event-tokens' },
  pairingPage: { method: 'GET', path: '/pair' },
  // Operations
  getHealth: { method: 'GET', path: '/healthz' },
  getReadiness: { method: 'GET', path: '/readyz' },
  getMetrics: { method: 'GET', path: '/metrics' },
  // Outbox actions
  getAction: { method: 'GET', path: '/v1/actions/{id}' },
  // Calls, instance settings and status posts
  rejectCall: { method: 'POST', path: '/v1/instances/{id}/calls/{call_id}/reject' },
  getInstanceSettings: { method: 'GET', path: '/v1/instances/{id}/settings' },
  updateInstanceSettings: { method: 'PATCH', path: '/v1/instances/{id}/settings' },
  postStatus: { method: 'POST', path: '/v1/instances/{id}/status' },
} as const satisfies Record<string, RouteDef>;

export type OperationId = keyof typeof ROUTES;

/** The path of `operation` with its `{name}` parameters filled in (URL-encoded). */
export function pathOf(operation: OperationId, params: Record<string, string> = {}): string {
  return ROUTES[operation].path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new TypeError(`${operation}: missing path parameter "${name}".`);
    return encodeURIComponent(value);
  });
}

/** The method of `operation` and its path with the parameters filled in. */
export function routeOf(operation: OperationId, params: Record<string, string> = {}): { readonly method: HttpMethod; readonly path: string } {
  return { method: ROUTES[operation].method, path: pathOf(operation, params) };
}
