import { describeHostGateContract, describeJobQueueContract, describeRateLimiterContract } from '@whatisup/core/testing';
import { createInProcessHostGate, createInProcessJobQueue, createInProcessRateLimiter } from '../src/index.js';

describeJobQueueContract('in-process', async ({ retry, closeTimeoutMs }) => createInProcessJobQueue({ retry, closeTimeoutMs }));

describeHostGateContract('in-process', async ({ limit, leaseMs }) => createInProcessHostGate({ limit, leaseMs }));

describeRateLimiterContract('in-process', async (policy) => createInProcessRateLimiter(policy));
