/** Every failure dataless reports on purpose carries a code and an exit status. */
export class DatalessError extends Error {
  /** A stable, machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  /** The process exit status this error maps to. */
  readonly exitCode: number;

  constructor(message: string, options: { code?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'DATALESS_ERROR';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line usage: exit 2. */
export class UsageError extends DatalessError {
  constructor(message: string) {
    super(message, { code: 'USAGE', exitCode: 2 });
  }
}

/** A configuration file that cannot be used: exit 2. */
export class ConfigError extends DatalessError {
  constructor(message: string, code = 'CONFIG_INVALID') {
    super(message, { code, exitCode: 2 });
  }
}

/** A template, or the code that builds one, is wrong. */
export class TemplateError extends DatalessError {
  constructor(message: string, code = 'TEMPLATE_INVALID') {
    super(message, { code, exitCode: 1 });
  }
}

/** Validation found problems (lint findings, stale files). */
export class ValidationError extends DatalessError {
  constructor(message: string, code = 'VALIDATION_FAILED') {
    super(message, { code, exitCode: 1 });
  }
}

/** An AWS call or a deployment failed. */
export class DeploymentError extends DatalessError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'DEPLOYMENT_FAILED', exitCode: 1, cause: options.cause });
  }
}

/** The user (or the lack of a terminal) stopped the operation. */
export class AbortError extends DatalessError {
  constructor(message: string, code = 'ABORTED') {
    super(message, { code, exitCode: 1 });
  }
}

/** The local warehouse cannot start, or is not running (`dataless local`). */
export class LocalError extends DatalessError {
  constructor(message: string, code = 'LOCAL') {
    super(message, { code, exitCode: 1 });
  }
}
