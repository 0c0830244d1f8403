// Failures a request handler reports: thrown inside the host, turned into a typed answer at its edge.
import type { ErrorInfo } from '../../core/api/dto';

export type ErrorCode = ErrorInfo['code'];
export type ProblemInfo = NonNullable<ErrorInfo['problems']>[number];

/** A failure with the code and words the window shows; anything else thrown is a bug ('internal'). */
export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems?: ProblemInfo[],
  ) {
    super(message);
    this.name = 'HostError';
  }

  toInfo(): ErrorInfo {
    return this.problems === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, problems: this.problems };
  }
}

export function notFound(message: string): HostError {
  return new HostError('not-found', message);
}

export function refused(message: string, problems?: ProblemInfo[]): HostError {
  return new HostError('refused', message, problems);
}

/** Problems as plain objects with only the fields the contract knows (a LabProblem carries line and column too). */
export function plainProblems(list: ReadonlyArray<{ path: string; message: string; hint?: string }>): ProblemInfo[] {
  return list.map((p) => (p.hint === undefined ? { path: p.path, message: p.message } : { path: p.path, message: p.message, hint: p.hint }));
}
