/** Where the embedded server's own messages go (a pino logger fits). */
export interface EmbeddedPostgresLogger {
  info(message: string): void;
  warn(message: string): void;
}
