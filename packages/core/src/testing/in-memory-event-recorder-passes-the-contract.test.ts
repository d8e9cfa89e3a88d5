import { createInProcessEventBus, type PublishedEvent } from '../events/index.js';
import { describeEventRecorderContract } from './contracts/event-recorder.contract.js';
import { createInMemoryEventRecorder } from './in-memory-event-recorder.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { webhookEventRecorderSubject } from './webhook-event-recorder-subject.js';

describeEventRecorderContract('in-memory stand-in', async () => {
  const uow = createInMemoryUnitOfWork();
  const bus = createInProcessEventBus();
  const published: PublishedEvent[] = [];
  bus.subscribe((event) => void published.push(event));
  return {
    uow,
    repos: uow.repos,
    recorder: createInMemoryEventRecorder({ bus }),
    published: () => published,
    deliveries: { skip: 'the in-memory recorder stands in for code that records events; it writes no webhook deliveries' },
  };
});

describeEventRecorderContract('webhook recorder over in-memory repositories', async () => {
  const uow = createInMemoryUnitOfWork();
  return webhookEventRecorderSubject({ uow, repos: uow.repos });
});
