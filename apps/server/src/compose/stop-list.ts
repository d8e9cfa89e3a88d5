import type { Logger } from 'pino';

/**
 * What a role opened, closed in reverse order of opening. A failing stop is logged and the rest still run,
 * so one broken adapter does not leave the others open.
 */
export function createStopList(logger: Logger) {
  const stops: Array<() => Promise<void>> = [];
  return {
    push(stop: () => Promise<void>): void {
      stops.push(stop);
    },
    async stopAll(): Promise<void> {
      for (const stop of stops.splice(0).reverse()) {
        await stop().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
      }
    },
  };
}
