/* Calls: incoming calls as events, declining them (on request or by the instance's settings). */
export {
  createCallRegistry,
  type CallRegistry,
  type CallRegistryOptions,
  type CallRecord,
  type CallEndReason,
  type CallRejectedBy,
} from './call-registry.js';
export { createRejectRingingCall, type RejectRingingCall, type RejectRingingCallDeps } from './reject-ringing-call.js';
export { createCallHandler, type CallHandlerDeps, type HandleCall } from './handle-call.js';
export { createRejectCall, type RejectCall, type RejectCallDeps } from './reject-call.js';
export { CallParams, CallJson, toCallJson } from './call-schemas.js';
export {
  SandboxCallInjection,
  SandboxCallEndInjection,
  SandboxStoryViewInjection,
  SandboxEventInjection,
  InjectedEventJson,
  toSandboxEventInput,
  toInjectedEventJson,
} from './sandbox-event-schema.js';
