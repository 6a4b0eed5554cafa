/** One error code: what it means, and the exit status it ends the process with. */
export interface ErrorCodeInfo {
  /** One line: what went wrong. */
  readonly meaning: string;
  /** The process exit status (2 for bad usage or configuration, 1 for everything else). */
  readonly exitCode: 1 | 2;
}

/**
 * Every code a `DatalessError` can carry: the one list. `dataless --json` prints the code of a failure, and
 * `--debug` prints it beside the stack trace. A code not listed here does not compile.
 */
export const errorCodes = {
  USAGE: {
    meaning: 'bad command-line usage: an unknown value, a missing option, a revision or stack that does not exist',
    exitCode: 2,
  },
  CONFIG_INVALID: { meaning: 'a branch config file (config/<branch>.json) has problems', exitCode: 2 },
  CONFIG_MISSING: { meaning: 'the branch config file does not exist', exitCode: 2 },
  CONFIG_UNREADABLE: { meaning: 'the branch config file cannot be read or is not JSON', exitCode: 2 },
  PARAMETER_MISSING: { meaning: 'a stack parameter has no value: no default, none given, none to keep', exitCode: 2 },
  TEMPLATE_INVALID: { meaning: 'a template, or the code that builds one, is wrong', exitCode: 1 },
  TEMPLATE_MISSING: {
    meaning: "a template file (or a deployed stack's template) is not there: run `dataless synth`",
    exitCode: 1,
  },
  TEMPLATE_UNREADABLE: { meaning: 'a template file cannot be read or parsed', exitCode: 1 },
  TEMPLATE_TOO_LARGE: { meaning: 'a template is larger than CloudFormation accepts', exitCode: 1 },
  TEMPLATE_FOREIGN_HANDLE: { meaning: 'a handle from one template is used in another', exitCode: 1 },
  TEMPLATE_UNDECLARED_REFERENCE: { meaning: 'a template refers to a logical id it does not declare', exitCode: 1 },
  SERIALIZER_ROUND_TRIP: { meaning: 'the YAML written does not read back as the template it came from', exitCode: 1 },
  ARTIFACT_MISSING: {
    meaning: 'a file the templates point at (a Lambda bundle, a job script) is missing',
    exitCode: 1,
  },
  VALIDATION_FAILED: { meaning: 'validation found a problem', exitCode: 1 },
  SYNTH_STALE: { meaning: 'the committed templates differ from what `dataless synth` generates', exitCode: 1 },
  LINT_FINDINGS: { meaning: 'cfn-lint reported findings in the templates', exitCode: 1 },
  SCAN_FINDINGS: { meaning: 'checkov reported failed security checks in the templates', exitCode: 1 },
  CFN_LINT_MISSING: { meaning: 'cfn-lint is not installed: run `bash scripts/setup-python.sh`', exitCode: 1 },
  CFN_LINT_FAILED: { meaning: 'cfn-lint could not run, or its output could not be read', exitCode: 1 },
  CHECKOV_MISSING: { meaning: 'checkov is not installed: run `bash scripts/setup-python.sh`', exitCode: 1 },
  CHECKOV_FAILED: { meaning: 'checkov could not run, or its output could not be read', exitCode: 1 },
  DIFF_FAIL_ON: { meaning: 'the diff has a kind of change named by --fail-on', exitCode: 1 },
  DEPLOYMENT_FAILED: { meaning: 'a deployment could not go on', exitCode: 1 },
  AWS_ERROR: {
    meaning: 'an AWS call failed; the message names the call, the service error and the request id',
    exitCode: 1,
  },
  CHANGE_SET_FAILED: { meaning: 'CloudFormation could not create the change set', exitCode: 1 },
  CHANGE_SET_TIMEOUT: { meaning: 'the change set was not ready in time', exitCode: 1 },
  STACK_FAILED: { meaning: 'the stack operation ended in a failed or rolled-back state', exitCode: 1 },
  STACK_BUSY: { meaning: 'another operation is in progress on the stack', exitCode: 1 },
  STACK_NEEDS_RECREATE: { meaning: 'the stack is in a state it can only leave by being deleted', exitCode: 1 },
  STACK_ROLLBACK_FAILED: { meaning: "the stack's rollback failed and must be continued first", exitCode: 1 },
  STACK_DELETE_FAILED: { meaning: 'the stack could not be deleted', exitCode: 1 },
  STACK_DELETE_TIMEOUT: { meaning: 'the stack was not deleted in time', exitCode: 1 },
  STACK_GONE: { meaning: 'the stack disappeared while it was being deployed', exitCode: 1 },
  FOLLOW_THROTTLED: { meaning: 'CloudFormation kept throttling the event polls; the operation goes on', exitCode: 1 },
  ABORTED: { meaning: 'the operation was stopped', exitCode: 1 },
  INTERRUPTED: { meaning: 'Ctrl-C stopped the command (the AWS operation may go on)', exitCode: 1 },
  DECLINED: { meaning: 'the user answered no when asked to go on', exitCode: 1 },
  CONFIRMATION_REQUIRED: {
    meaning: 'a confirmation was needed, but there is no terminal and --yes was not given',
    exitCode: 1,
  },
  LOAD_FAILED: { meaning: 'loadgen sent records the API did not accept', exitCode: 1 },
  LOCAL: { meaning: 'the local warehouse failed', exitCode: 1 },
  LOCAL_RUNNING: { meaning: 'a local warehouse is already running', exitCode: 1 },
  LOCAL_NOT_RUNNING: { meaning: 'no local warehouse is running', exitCode: 1 },
  LOCAL_PORT_IN_USE: { meaning: "the local warehouse's port is taken", exitCode: 1 },
  LOCAL_TEMPLATE: { meaning: 'the templates declare something the local warehouse cannot run', exitCode: 1 },
  LOCAL_BUNDLE_MISSING: {
    meaning: 'a Lambda bundle the local warehouse runs is not built: run `npm run build`',
    exitCode: 1,
  },
  LOCAL_COMPRESSION: { meaning: 'a delivery stream uses a compression the local run does not reproduce', exitCode: 1 },
  LOCAL_STATE_MACHINE: { meaning: 'the batch state machine is not one the local batch can run', exitCode: 1 },
  LOCAL_NO_ENGINE: { meaning: 'the local warehouse has no engine for what was asked', exitCode: 1 },
  LOCAL_NO_JAVA: { meaning: 'local Spark needs Java, which was not found', exitCode: 1 },
  LOCAL_NO_PYTHON: { meaning: "local Spark needs the project's Python environment, which was not found", exitCode: 1 },
  LOCAL_PYTHON: { meaning: 'the local Python (Spark) process failed or ended unexpectedly', exitCode: 1 },
  LOCAL_SPARK: { meaning: 'local Spark did not start', exitCode: 1 },
  LOCAL_STEP_FAILED: { meaning: 'a step of the local batch run failed', exitCode: 1 },
  LOCAL_BATCH_FAILED: { meaning: 'the local batch run failed', exitCode: 1 },
  UNEXPECTED: {
    meaning: 'a failure dataless did not anticipate (a bug): run again with --debug for the stack trace',
    exitCode: 1,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** An error code: one of the keys of `errorCodes`. */
export type ErrorCode = keyof typeof errorCodes;

/** The codes that end the process with the given exit status. */
export type ErrorCodeExiting<N extends 1 | 2> = {
  [C in ErrorCode]: (typeof errorCodes)[C]['exitCode'] extends N ? C : never;
}[ErrorCode];

/** Every failure dataless reports on purpose carries a code; its exit status comes from the code. */
export class DatalessError extends Error {
  /** A stable, machine-readable code from `errorCodes`, e.g. `CONFIG_INVALID`. */
  readonly code: ErrorCode;
  /** The process exit status this error maps to. */
  readonly exitCode: 1 | 2;
  /**
   * What the action had found when it failed (the stale files, the lint findings): the CLI presents it, as text
   * or `--json`, before the error. Undefined when the failure came before there was anything to show.
   */
  result?: unknown;

  constructor(message: string, options: { code: ErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = errorCodes[options.code].exitCode;
  }

  /** Attaches what the action had found, for the CLI to present; returns this error, to throw. */
  withResult(result: unknown): this {
    this.result = result;
    return this;
  }
}

/** Bad command-line usage: exit 2. */
export class UsageError extends DatalessError {
  constructor(message: string) {
    super(message, { code: 'USAGE' });
  }
}

/** A configuration file that cannot be used: exit 2. */
export class ConfigError extends DatalessError {
  constructor(message: string, code: ErrorCodeExiting<2> = 'CONFIG_INVALID') {
    super(message, { code });
  }
}

/** A template, or the code that builds one, is wrong. */
export class TemplateError extends DatalessError {
  constructor(message: string, code: ErrorCodeExiting<1> = 'TEMPLATE_INVALID') {
    super(message, { code });
  }
}

/** Validation found problems (lint findings, stale files). */
export class ValidationError extends DatalessError {
  constructor(message: string, code: ErrorCodeExiting<1> = 'VALIDATION_FAILED') {
    super(message, { code });
  }
}

/** An AWS call or a deployment failed. */
export class DeploymentError extends DatalessError {
  constructor(message: string, options: { code?: ErrorCodeExiting<1>; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'DEPLOYMENT_FAILED', cause: options.cause });
  }
}

/** The user (or the lack of a terminal) stopped the operation. */
export class AbortError extends DatalessError {
  constructor(message: string, code: ErrorCodeExiting<1> = 'ABORTED') {
    super(message, { code });
  }
}

/** The local warehouse cannot start, or is not running (`dataless local`). */
export class LocalError extends DatalessError {
  constructor(message: string, code: ErrorCodeExiting<1> = 'LOCAL') {
    super(message, { code });
  }
}
