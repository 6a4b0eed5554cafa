import { expect } from 'chai';
import { pathChanges } from '../../src/diff/paths';

describe('diff: the paths of what changed', () => {
  it('follows maps key by key and names a value added or removed', () => {
    expect(pathChanges('Properties', { A: 1, B: { C: 'x' } }, { A: 1, B: { C: 'y', D: true } })).to.deep.equal([
      { path: 'Properties.B.C', old: 'x', new: 'y' },
      { path: 'Properties.B.D', new: true },
    ]);
  });

  it('reports an element inserted into a list as itself, not as a change of every element after it', () => {
    const before = [{ Name: 'BUCKET' }, { Name: 'BRANCH' }, { Name: 'KEY' }];
    const after = [{ Name: 'BUCKET' }, { Name: 'BRANCH' }, { Name: 'STACK' }, { Name: 'KEY' }];
    expect(pathChanges('Env', before, after)).to.deep.equal([{ path: 'Env[2]', new: { Name: 'STACK' } }]);
  });

  it('reports an element removed from a list at its old position, and a changed one below its path', () => {
    expect(pathChanges('L', ['a', { v: 1 }, 'c'], [{ v: 2 }, 'c'])).to.deep.equal([
      { path: 'L[0].v', old: 1, new: 2 },
      { path: 'L[0]', old: 'a' },
    ]);
  });

  it('compares text of several lines line by line', () => {
    expect(
      pathChanges(
        'Spec',
        'version: 0.2\nphases:\n  build: npm test\n',
        'version: 0.2\nphases:\n  build: npm test\n  post: diff\n',
      ),
    ).to.deep.equal([{ path: 'Spec (line 4)', new: '  post: diff' }]);
  });
});
