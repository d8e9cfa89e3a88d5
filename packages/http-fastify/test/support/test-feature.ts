import type { LightMyRequestResponse } from 'fastify';
import type { AnyRouteSpec } from '../../src/index.js';

/** A POST to the app under test as `auth`, with a JSON body when one is given. */
export type Post = (url: string, auth: Record<string, string>, payload?: object) => Promise<LightMyRequestResponse>;

/** One optional part of the test app: its route groups, what tests reach through it, and how it stops. */
export interface TestFeature<Helpers> {
  readonly routes: readonly AnyRouteSpec[];
  readonly helpers: Helpers;
  readonly close?: () => Promise<void>;
}
