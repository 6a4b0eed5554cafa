import { TemplateError } from '../errors';
import { PSEUDO_PARAMETERS } from './intrinsics';
import { SAM_REF_PROPERTIES } from './sam';

type Json = unknown;

/**
 * Fails when the template refers to anything it does not declare: `Ref`,
 * `Fn::GetAtt`, `Fn::Sub` variables, `Fn::If` and resource conditions,
 * `DependsOn`, `Fn::FindInMap`. Handles make such a mistake hard; this catches
 * the hand-typed ids that remain, naming where the reference is.
 */
export function checkReferences(template: Record<string, Json>, source: string): void {
  const section = (name: string) => (template[name] ?? {}) as Record<string, Json>;
  const parameters = new Set(Object.keys(section('Parameters')));
  const resources = new Set(Object.keys(section('Resources')));
  const conditions = new Set(Object.keys(section('Conditions')));
  const mappings = new Set(Object.keys(section('Mappings')));
  const problems: string[] = [];

  const samRefTarget = (id: string) => {
    const [head, property, ...rest] = id.split('.');
    const type = (section('Resources')[head!] as Record<string, Json> | undefined)?.Type;
    return rest.length === 0 && typeof type === 'string' && (SAM_REF_PROPERTIES[type] ?? []).includes(property ?? '');
  };
  const refTargets = (id: string) =>
    parameters.has(id) || resources.has(id) || PSEUDO_PARAMETERS.has(id) || samRefTarget(id);
  const fail = (path: string, message: string) => problems.push(`${path}: ${message}`);

  const visit = (value: Json, path: string, subVariables: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`, subVariables));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries = Object.entries(value as Record<string, Json>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref':
          if (typeof arg !== 'string') fail(path, 'Ref takes a logical id string');
          else if (!refTargets(arg) && !subVariables.has(arg))
            fail(path, `Ref to '${arg}', which the template does not declare`);
          return;
        case 'Fn::GetAtt': {
          const [target] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? (arg as Json[]) : [];
          if (typeof target !== 'string') fail(path, 'Fn::GetAtt takes [logicalId, attribute]');
          else if (!resources.has(target))
            fail(path, `Fn::GetAtt of '${target}', which is not a resource of the template`);
          if (Array.isArray(arg))
            arg.slice(1).forEach((a, i) => visit(a, `${path}.Fn::GetAtt[${i + 1}]`, subVariables));
          return;
        }
        case 'Fn::Sub': {
          const [text, vars] =
            typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? (arg as [Json, Json]) : [undefined, {}];
          if (typeof text !== 'string') {
            fail(path, 'Fn::Sub takes a string or [string, variables]');
            return;
          }
          const names = new Set(Object.keys((vars ?? {}) as Record<string, Json>));
          for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const token = match[1]!.trim();
            const [head, ...rest] = token.split('.');
            if (names.has(token)) continue;
            if (rest.length > 0 && !head!.startsWith('AWS::')) {
              if (!resources.has(head!))
                fail(path, `Fn::Sub variable '\${${token}}' names '${head}', which is not a resource of the template`);
            } else if (!refTargets(token)) {
              fail(
                path,
                `Fn::Sub variable '\${${token}}' is neither declared in the template nor given in the variable map`,
              );
            }
          }
          visit(vars, `${path}.Fn::Sub[1]`, subVariables);
          return;
        }
        case 'Fn::If': {
          const [name, ...rest] = Array.isArray(arg) ? (arg as Json[]) : [];
          if (typeof name !== 'string' || !conditions.has(name))
            fail(path, `Fn::If on condition '${String(name)}', which the template does not declare`);
          rest.forEach((item, i) => visit(item, `${path}.Fn::If[${i + 1}]`, subVariables));
          return;
        }
        case 'Condition':
          if (path.startsWith('Conditions') && (typeof arg !== 'string' || !conditions.has(arg))) {
            fail(path, `condition '${String(arg)}' is not declared`);
            return;
          }
          break;
        case 'Fn::FindInMap': {
          const [map] = Array.isArray(arg) ? (arg as Json[]) : [];
          if (typeof map !== 'string' || !mappings.has(map))
            fail(path, `Fn::FindInMap into '${String(map)}', which is not a mapping of the template`);
          break;
        }
        default:
          break;
      }
    }
    for (const [key, item] of entries) visit(item, `${path}.${key}`, subVariables);
  };

  for (const [id, resource] of Object.entries(section('Resources'))) {
    const r = resource as Record<string, Json>;
    const where = `Resources.${id}`;
    if (typeof r.Condition === 'string' && !conditions.has(r.Condition))
      fail(where, `Condition '${r.Condition}' is not declared`);
    const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    for (const dep of dependsOn) {
      if (typeof dep !== 'string' || !resources.has(dep))
        fail(where, `DependsOn '${String(dep)}', which is not a resource of the template`);
    }
    visit(r.Properties, `${where}.Properties`, new Set());
    visit(r.Metadata, `${where}.Metadata`, new Set());
  }
  for (const [id, output] of Object.entries(section('Outputs'))) {
    const o = output as Record<string, Json>;
    if (typeof o.Condition === 'string' && !conditions.has(o.Condition))
      fail(`Outputs.${id}`, `Condition '${o.Condition}' is not declared`);
    visit(o.Value, `Outputs.${id}.Value`, new Set());
    visit(o.Export, `Outputs.${id}.Export`, new Set());
  }
  for (const [id, condition] of Object.entries(section('Conditions'))) visit(condition, `Conditions.${id}`, new Set());
  visit(template.Globals, 'Globals', new Set());

  const iface = (section('Metadata')['AWS::CloudFormation::Interface'] ?? {}) as Record<string, Json>;
  for (const name of Object.keys((iface.ParameterLabels ?? {}) as Record<string, Json>)) {
    if (!parameters.has(name))
      fail('Metadata.AWS::CloudFormation::Interface.ParameterLabels', `label for '${name}', which is not a parameter`);
  }

  if (problems.length > 0) {
    throw new TemplateError(
      `${source}: the template refers to ${problems.length === 1 ? 'something' : `${problems.length} things`} it does not declare:\n` +
        problems.map((p) => `  ${p}`).join('\n'),
      'TEMPLATE_UNDECLARED_REFERENCE',
    );
  }
}
