import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../src/paths';
import { stacks } from '../../src/stacks';
import { LAMBDA_BUNDLE_DIR, LAMBDA_RUNTIME } from '../../src/stacks/shared/lambda';

// scripts/bundle-lambdas.js builds the bundles and cannot import the stacks' TypeScript: this keeps the two in step.
const bundler = require(path.join(projectRoot(), 'scripts', 'bundle-lambdas.js')) as {
  handlerNames(): string[];
  OUT_DIR: string;
  NODE_TARGET: string;
};

describe('the Lambda bundles', () => {
  it('are built for the runtime the templates declare', () => {
    expect(LAMBDA_RUNTIME).to.equal(`nodejs${bundler.NODE_TARGET.replace(/^node/, '')}.x`);
  });

  it('are written where the templates look for them', () => {
    expect(bundler.OUT_DIR.split(path.sep).join('/')).to.equal(LAMBDA_BUNDLE_DIR);
  });

  it('are each an asset of a template, and the templates have no other bundle', () => {
    // given the file assets of every template
    const files = stacks.flatMap((s) => s.build().assets.list()?.Files ?? []);
    // then they are the bundles of the handlers under src/lambdas, where the build leaves them
    const built = bundler.handlerNames().map((name) => `${LAMBDA_BUNDLE_DIR}/${name}.zip`);
    expect([...files].sort()).to.deep.equal(built.sort());
  });
});
