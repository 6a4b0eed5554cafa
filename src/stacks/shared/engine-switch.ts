// An engine switch: a parameter that picks what runs one part of the
// warehouse, today's engine by default or the original's, and a condition that
// holds under the original's. The root declares the parameter, the service
// passes it on, and every template that acts on it declares the same
// parameter (see shared/parameters.ts) and the same condition.
import { equals } from '../../cfn/intrinsics';
import type { Condition, Parameter, ParameterDefinition, Template } from '../../cfn/template';

/** An engine switch, as the templates declare it. */
export interface EngineSwitch<Standard extends string, Legacy extends string> {
  /** The allowed values: the default engine first, then the original's. */
  readonly values: readonly [Standard, Legacy];
  /** The parameter: a String with the default engine as its default and the two engines as its allowed values. */
  readonly parameter: ParameterDefinition;
  /** Declares the condition that holds where `engine` is set to the original's engine. */
  declareLegacy(t: Template, engine: Parameter): Condition;
}

/** What an engine switch is made of. */
export interface EngineSwitchSpec<Standard extends string, Legacy extends string> {
  /** The engine used unless told otherwise. */
  readonly standard: Standard;
  /** The original's engine, kept for accounts that still have it. */
  readonly legacy: Legacy;
  /** Logical id of the condition that holds under the original's engine, the same in every template. */
  readonly legacyCondition: string;
  /** What the switch picks and what each value means. */
  readonly description: string;
}

export function engineSwitch<const Standard extends string, const Legacy extends string>(
  spec: EngineSwitchSpec<Standard, Legacy>,
): EngineSwitch<Standard, Legacy> {
  const values = [spec.standard, spec.legacy] as const;
  return {
    values,
    parameter: { type: 'String', default: spec.standard, allowedValues: values, description: spec.description },
    declareLegacy: (t, engine) => t.condition(spec.legacyCondition, equals(engine, spec.legacy)),
  };
}
