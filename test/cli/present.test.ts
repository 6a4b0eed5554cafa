import { expect } from 'chai';
import { present, runAndPresent } from '../../src/cli/present';
import { ValidationError } from '../../src/errors';
import { memoryIO } from '../../src/io';
import { failure } from '../support/failure';

describe('presenting an action result', () => {
  const presentation = (json: boolean) => ({
    json,
    text: (result: { files: string[] }) => result.files.map((file) => `file ${file}\n`).join(''),
  });

  it('prints the text form without --json', () => {
    const io = memoryIO();
    present(io, { files: ['a', 'b'] }, presentation(false));
    expect(io.stdout).to.equal('file a\nfile b\n');
  });

  it('prints the result itself as one JSON document with --json', () => {
    const io = memoryIO();
    present(io, { files: ['a'] }, presentation(true));
    expect(JSON.parse(io.stdout)).to.deep.equal({ files: ['a'] });
  });

  it('prints nothing when the text form is empty', () => {
    const io = memoryIO();
    present(io, { files: [] }, presentation(false));
    expect(io.stdout).to.equal('');
  });

  it('returns what the action returned, after presenting it', async () => {
    const io = memoryIO();
    const result = await runAndPresent(io, () => Promise.resolve({ files: ['a'] }), presentation(false));
    expect(result).to.deep.equal({ files: ['a'] });
    expect(io.stdout).to.equal('file a\n');
  });

  it('presents what a failed action had found, then lets the error go on to be reported', async () => {
    const io = memoryIO();
    const stale = new ValidationError('1 file is out of date', 'SYNTH_STALE').withResult({ files: ['stale.yaml'] });
    expect(
      await failure(runAndPresent(io, () => Promise.reject<{ files: string[] }>(stale), presentation(true))),
    ).to.equal(stale);
    expect(JSON.parse(io.stdout)).to.deep.equal({ files: ['stale.yaml'] });
  });

  it('presents nothing when the action failed before it had found anything', async () => {
    const io = memoryIO();
    const early = new ValidationError('no template to check');
    expect(
      await failure(runAndPresent(io, () => Promise.reject<{ files: string[] }>(early), presentation(false))),
    ).to.equal(early);
    expect(io.stdout).to.equal('');
  });
});
