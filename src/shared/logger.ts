/** What sep-bot logs through: Probot's pino logger, or a quiet or recording one in tests and commands. */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
}
