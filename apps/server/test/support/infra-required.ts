/** In CI (`CI` set) or with TEST_REQUIRE_INFRA=1 something a test needs that is missing is a failure, elsewhere a skip. */
export function infraRequired(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.TEST_REQUIRE_INFRA === '1' || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0');
}
