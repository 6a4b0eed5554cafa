import { expect } from 'chai';
import { TemplateAssertions } from '../support/template';
import { ORIGINAL_APP, ORIGINAL_BUILD, ORIGINAL_SERVICE, type Resources } from './original';

/** Resource types by logical id across templates; an id declared in two of them is reported. */
function resourcesOf(paths: readonly string[]): Map<string, { type: string; file: string }> {
  const found = new Map<string, { type: string; file: string }>();
  for (const path of paths) {
    for (const [id, resource] of Object.entries(TemplateAssertions.load(path).section('Resources'))) {
      const earlier = found.get(id);
      if (earlier) throw new Error(`${id} is declared in both ${earlier.file} and ${path}`);
      found.set(id, { type: String(resource.Type), file: path });
    }
  }
  return found;
}

const count = (byTemplate: Readonly<Record<string, Resources>>) =>
  Object.values(byTemplate).reduce((n, ids) => n + Object.keys(ids).length, 0);

describe('the original resources', () => {
  const cases: Array<[string, Readonly<Record<string, Resources>>]> = [
    ['build.yaml', ORIGINAL_BUILD],
    ['app.yaml', ORIGINAL_APP],
    ['svc/advertising/service.yaml', ORIGINAL_SERVICE],
  ];

  it('counts 72 resources in the original: 5 in build.yaml, 29 in app.yaml and 38 in the service', () => {
    expect(cases.map(([, byTemplate]) => count(byTemplate))).to.deep.equal([5, 29, 38]);
  });

  for (const [original, byTemplate] of cases) {
    it(`generates every resource of the original ${original} with its logical id and type, in the template that holds it`, () => {
      const found = resourcesOf(Object.keys(byTemplate));
      const problems = Object.entries(byTemplate).flatMap(([path, ids]) =>
        Object.entries(ids).flatMap(([id, type]) => {
          const got = found.get(id);
          if (!got) return [`${id} (${type}) is not generated`];
          if (got.file !== path) return [`${id} is declared in ${got.file}, expected in ${path}`];
          return got.type === type ? [] : [`${id} is ${got.type} in ${got.file}, the original's is ${type}`];
        }),
      );
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
