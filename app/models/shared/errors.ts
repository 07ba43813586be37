/**
 * An expected refusal from the domain (not found, not allowed, conflict,
 * too many requests, invalid input that only the database can judge). Routes
 * turn it into a response with its status and message; anything else is a bug.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 429 | 503,
    message: string,
    /** The form field the message belongs to, if any. */
    readonly field?: string,
    /** Seconds until the action may be tried again (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what = "That page") => new DomainError(404, `${what} does not exist or was removed.`);
export const forbidden = (message = "You are not allowed to do that.") => new DomainError(403, message);
