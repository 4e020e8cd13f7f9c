/** A failure that ends the command with a given exit code and message. */
export class CliFailure extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
