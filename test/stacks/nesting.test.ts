import { posix } from 'node:path';
import { expect } from 'chai';
import { ROOT_STACK, stacks } from '../../src/stacks';

// The nested stacks' parameters and outputs are declared as types; this checks the generated templates agree.
describe('the nested stacks', () => {
  const built = new Map(stacks.map((s) => [s.path, s.build().toJSON()]));
  const section = (template: Record<string, unknown>, name: string) =>
    (template[name] ?? {}) as Record<string, Record<string, unknown>>;
  const nestings = [...built].flatMap(([path, template]) =>
    Object.entries(section(template, 'Resources'))
      .filter(([, r]) => r.Type === 'AWS::Serverless::Application')
      .map(([id, r]) => {
        const properties = r.Properties as { Location: string; Parameters: Record<string, unknown> };
        return {
          parent: path,
          id,
          child: posix.join(posix.dirname(path), properties.Location),
          parameters: properties.Parameters,
        };
      }),
  );

  it('nests the service in the root and the lake, batch pipeline and real-time stacks in the service', () => {
    expect(nestings.map((n) => `${n.parent} ${n.id} -> ${n.child}`)).to.deep.equal([
      `${ROOT_STACK.path} AdvertisingService -> templates-out/advertising/service.yaml`,
      'templates-out/advertising/service.yaml Lake -> templates-out/advertising/lake.yaml',
      'templates-out/advertising/service.yaml BatchPipeline -> templates-out/advertising/pipeline.yaml',
      'templates-out/advertising/service.yaml RealTime -> templates-out/advertising/realtime.yaml',
    ]);
  });

  for (const nesting of nestings) {
    it(`passes ${nesting.id} exactly the parameters ${nesting.child} declares`, () => {
      const child = built.get(nesting.child);
      expect(child, nesting.child).to.not.equal(undefined);
      expect(Object.keys(nesting.parameters).sort()).to.deep.equal(Object.keys(section(child!, 'Parameters')).sort());
    });

    it(`reads only outputs ${nesting.child} declares from ${nesting.id}`, () => {
      const outputs = new Set(Object.keys(section(built.get(nesting.child)!, 'Outputs')));
      const read =
        JSON.stringify(built.get(nesting.parent)).match(
          new RegExp(`\\["${nesting.id}","Outputs\\.[A-Za-z0-9]+"\\]`, 'g'),
        ) ?? [];
      for (const getAtt of read)
        expect(outputs).to.include((JSON.parse(getAtt) as string[])[1]!.slice('Outputs.'.length));
    });
  }
});
