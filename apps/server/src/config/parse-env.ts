import * as v from 'valibot';

/** A bad environment: each problem names its variable. The message never contains a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `env` with `schema`; throws ConfigError naming every bad or missing variable. */
export function parseEnv<S extends v.GenericSchema>(schema: S, env: Readonly<Record<string, string | undefined>>): v.InferOutput<S> {
  const result = v.safeParse(schema, env, { abortPipeEarly: true });
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const variable = issue.path?.map((item) => String(item.key)).join('.') ?? '(environment)';
    const message = issue.received === 'undefined' ? 'is required' : issue.message;
    return `${variable} ${message}`;
  });
  throw new ConfigError(problems);
}
