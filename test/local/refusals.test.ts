import { expect } from 'chai';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localIO } from './io';
import { batch } from '../../src/local/batch';
import { up } from '../../src/local/up';
import { failure } from '../support/failure';

const ROOT = resolve(__dirname, '..', '..');

describe('local: what it refuses, in one line', () => {
  const roots: string[] = [];
  const checkout = (withVenv: boolean) => {
    const root = mkdtempSync(join(tmpdir(), 'dataless-local-'));
    if (withVenv) symlinkSync(join(ROOT, '.venv'), join(root, '.venv'));
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('refuses up without the Python environment, saying how to create it', async () => {
    // given a checkout with no .venv
    const root = checkout(false);

    // when up starts
    const error = await failure(up({ root, port: 0, signal: AbortSignal.abort() }, localIO()));

    // then it says which script sets it up
    expect(error.message).to.equal(
      "the project's Python environment (.venv with moto and pyspark) is missing; run `bash scripts/setup-python.sh`",
    );
  });

  it('refuses up without java on the PATH', async () => {
    // given a PATH with no java on it
    const root = checkout(true);

    // when up starts
    const error = await failure(up({ root, port: 0, signal: AbortSignal.abort() }, localIO({ PATH: root })));

    // then it says Spark needs Java 17
    expect(error.message).to.equal(
      'java is not on PATH; the local batch runs Spark, which needs a Java 17 runtime: install one and try again',
    );
  });

  it('refuses a batch when no local warehouse runs, saying to start one', async () => {
    // given a checkout where up is not running
    const root = checkout(true);

    // when a batch is asked for
    const error = await failure(batch({ root, date: '2019-06-06' }, localIO()));

    // then it says to start up first
    expect(error.message).to.equal(
      'no local warehouse is running; start one with `dataless local up` in another terminal',
    );
  });
});
