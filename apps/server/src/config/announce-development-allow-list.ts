import type { Logger } from 'pino';
import type { CommonConfig } from './common-config.js';

/**
 * Says at start that webhook and media URLs may reach local networks because of the development default,
 * so a developer knows why a local receiver works here and how to get production's policy back.
 */
export function announceDevelopmentAllowList(logger: Logger, config: CommonConfig, defaulted: readonly string[]): void {
  if (!defaulted.includes('WEBHOOK_ALLOW_CIDRS')) return;
  logger.info(
    { allowCidrs: config.webhooks.allowCidrs },
    'development: webhook and media URLs may reach loopback and private networks (WEBHOOK_ALLOW_CIDRS unset); ' +
      'production refuses them, set WEBHOOK_ALLOW_CIDRS= (empty) to refuse them here too',
  );
}
