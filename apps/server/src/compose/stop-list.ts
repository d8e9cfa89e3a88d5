import type { Logger } from 'pino';

/**
 * What a role opened, closed in reverse order of opening. A failing stop is logged and the rest still run,
 * so one broken adapter does not leave the others open. Each stop has a name, so a shutdown that overruns
 * its deadline can say what it was waiting for.
 */
export function createStopList(logger: Logger) {
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  let current: string | null = null;
  return {
    push(name: string, stop: () => Promise<void>): void {
      stops.push({ name, stop });
    },
    async stopAll(): Promise<void> {
      for (const { name, stop } of stops.splice(0).reverse()) {
        current = name;
        await stop().catch((error: unknown) => logger.error({ err: error, step: name }, 'error while stopping'));
      }
      current = null;
    },
    /** The step stopAll is waiting on, if any. */
    pending: (): string | null => current,
  };
}
