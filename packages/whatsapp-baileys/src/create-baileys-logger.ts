import type { Logger } from 'pino';

/**
 * Baileys is chatty at info and below; its logger is a child of ours at `warn` (or our own level when that
 * is stricter), so its output lands in the same stream, tagged `component: baileys`.
 */
export function createBaileysLogger(parent: Logger): Logger {
  const level = parent.levelVal > parent.levels.values.warn! ? parent.level : 'warn';
  return parent.child({ component: 'baileys' }, { level });
}
