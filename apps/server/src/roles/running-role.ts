/** A started role: where its HTTP port listens, and how to stop everything it opened. */
export interface RunningRole {
  /** e.g. http://127.0.0.1:3000 */
  readonly address: string;
  /** Closes everything in reverse order of creation. */
  stop(): Promise<void>;
  /** While stopping: the step it is waiting on (logged when shutdown overruns its deadline). */
  pending(): string | null;
}
