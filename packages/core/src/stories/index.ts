/* Status posts ("stories"): posting through the outbox, and who viewed them. */
export { createPostStatus, type PostStatus } from './post-status.js';
export { createStoryViewHandler, type HandleStoryView, type StoryViewHandlerDeps } from './handle-story-view.js';
export { StatusPostBody, MAX_STATUS_AUDIENCE, STATUS_BODY_TYPES } from './status-post-schema.js';
