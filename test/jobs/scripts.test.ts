import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { assetsOf } from '../../src/cfn/assets';
import { parseTemplate } from '../../src/cfn/yaml';

// The jobs the templates deploy are plain files (jobs/**, scripts/emr/**)
// that the templates declare as code assets. jobs/manifest.json describes them;
// these tests keep the manifest, the files and the templates' assets in step.

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST = 'jobs/manifest.json';
const SCANNED_DIRS = ['jobs', 'scripts/emr'];
const TEMPLATES_DIR = 'templates-out';
const ENGINES = ['glue-python', 'glue-scala', 'hive', 'redshift', 'shell', 'emr-bootstrap'];

interface Job {
  readonly path: string;
  readonly engine: string;
  readonly purpose: string;
  readonly parameters: readonly string[];
}

function readManifest(): Job[] {
  const parsed = JSON.parse(fs.readFileSync(path.join(ROOT, MANIFEST), 'utf8')) as { jobs?: unknown };
  if (!Array.isArray(parsed.jobs)) throw new Error(`${MANIFEST} has no "jobs" list`);
  return parsed.jobs as Job[];
}

/** Build and editor leftovers (all git-ignored), not jobs. */
const IGNORED = /^(__pycache__|\.DS_Store)$|\.pyc$/;

/** Every file under `dir`, as repository-relative paths with forward slashes. */
function filesUnder(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    if (IGNORED.test(entry.name)) return [];
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** Drops `--` line comments, so that words in the prose are not read as code. */
function sqlWithoutComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
}

/** The Python files next to a Python job that it imports as top-level modules (`import x`, `from x import y`). */
function siblingImports(job: string): string[] {
  if (!job.endsWith('.py')) return [];
  const text = fs.readFileSync(path.join(ROOT, job), 'utf8');
  const names = [...text.matchAll(/^(?:import|from)\s+([A-Za-z_][A-Za-z0-9_]*)\b/gm)].map((match) => match[1]);
  return names.map((name) => `${path.posix.dirname(job)}/${name}.py`).filter((file) => fs.existsSync(path.join(ROOT, file)));
}

/** The repository paths of job scripts that a template's text mentions. */
function scriptReferences(templateText: string): string[] {
  // A reference is the part of an S3 key or path from `jobs/` or `scripts/`
  // on, e.g. s3://${CodeBucket}/${CodePrefix}/jobs/glue/impressions_etl.py.
  const pattern = /(?:^|[\s/"'])((?:jobs|scripts)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.[A-Za-z0-9]+)(?=$|[\s"',}\]])/gm;
  return [...templateText.matchAll(pattern)].map((match) => match[1]);
}

describe('the job scripts', () => {
  const manifest = readManifest();
  const listed = new Set(manifest.map((job) => job.path));

  describe('the manifest', () => {
    it('lists every file under jobs/ and scripts/emr/', () => {
      // given the files on disk
      const onDisk = SCANNED_DIRS.flatMap(filesUnder).filter((file) => file !== MANIFEST);

      // then each one is a known job
      expect(onDisk.filter((file) => !listed.has(file)), `files missing from ${MANIFEST}`).to.deep.equal([]);
      expect(onDisk.length).to.equal(manifest.length);
    });

    it('lists only files that exist', () => {
      const missing = manifest.filter((job) => !fs.existsSync(path.join(ROOT, job.path))).map((job) => job.path);
      expect(missing, `${MANIFEST} names files that do not exist`).to.deep.equal([]);
    });

    it('gives each job a known engine, a one-line purpose and its parameters', () => {
      for (const job of manifest) {
        expect(ENGINES, `${job.path}: engine`).to.include(job.engine);
        expect(job.purpose, `${job.path}: purpose`).to.be.a('string').that.matches(/^[^\n]{10,200}$/);
        expect(job.parameters, `${job.path}: parameters`).to.be.an('array').that.is.not.empty;
      }
    });

    it('names each path once', () => {
      expect(listed.size).to.equal(manifest.length);
    });
  });

  describe('the parameters each script reads', () => {
    for (const job of manifest.filter((entry) => entry.engine === 'hive')) {
      it(`match the manifest for ${job.path}`, () => {
        // given the ${NAME} variables the Hive script uses
        const text = sqlWithoutComments(fs.readFileSync(path.join(ROOT, job.path), 'utf8'));
        const used = new Set([...text.matchAll(/\$\{(?:hivevar:|hiveconf:)?([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]));

        // then they are exactly the ones the pipeline is documented to pass
        expect([...used].sort()).to.deep.equal([...job.parameters].sort());
      });
    }

    for (const job of manifest.filter((entry) => entry.engine === 'redshift')) {
      it(`match the manifest for ${job.path}`, () => {
        // given the ? marks that SqlActivity binds its scriptArguments to, in order
        const text = sqlWithoutComments(fs.readFileSync(path.join(ROOT, job.path), 'utf8'));
        const marks = (text.replace(/'[^']*'/g, "''").match(/\?/g) ?? []).length;

        // then there is one per documented argument
        expect(marks).to.equal(job.parameters.length);
      });
    }

    it('follows a Python Glue job into the sibling modules it imports, and no further', () => {
      // given the clicks job, which imports lake_etl next to it (and pyspark, which is not a sibling)
      // when its imports are resolved, then only the shared module is found
      expect(siblingImports('jobs/glue/clicks_etl.py')).to.deep.equal(['jobs/glue/lake_etl.py']);
      expect(siblingImports('jobs/glue/clicks_etl.scala')).to.deep.equal([]);
    });

    for (const job of manifest.filter((entry) => entry.engine.startsWith('glue-'))) {
      it(`match the manifest for ${job.path}`, () => {
        // given the Glue job's source, with the sibling modules it imports (Glue puts them on its path)
        const text = [job.path, ...siblingImports(job.path)].map((file) => fs.readFileSync(path.join(ROOT, file), 'utf8')).join('\n');

        // then it asks Glue for each documented job argument by name
        for (const name of job.parameters) expect(text, name).to.include(`"${name}"`);
      });
    }
  });

  describe('the generated templates', () => {
    const yamlFiles = filesUnder(TEMPLATES_DIR).filter((file) => /\.ya?ml$/.test(file));

    it('finds job paths in S3 keys and leaves other text alone', () => {
      // given template text in the shapes the stacks write
      const text = [
        'ScriptLocation: !Sub "s3://${CodeBucket}/${CodePrefix}/jobs/glue/impressions_etl.py"',
        "  StringValue: !Sub 's3://${CodeBucket}/${CodePrefix}/jobs/hive/load_ad_traffic_table.hql'",
        '  - !Sub s3://${CodeBucket}/${CodePrefix}/scripts/emr/install_task_runner.sh',
        'pipelineLogUri: !Sub "s3://${Bucket}/logs/data-pipeline/"',
        'Description: runs the jobs/ of the day',
      ].join('\n');

      // when it is scanned
      const found = scriptReferences(text);

      // then only the three script paths are found
      expect(found).to.deep.equal([
        'jobs/glue/impressions_etl.py',
        'jobs/hive/load_ad_traffic_table.hql',
        'scripts/emr/install_task_runner.sh',
      ]);
    });

    it('list as code assets exactly the scripts the manifest lists', () => {
      // given the code assets of every template, from the templates as written
      const assets = new Map<string, string>();
      for (const file of yamlFiles) {
        for (const asset of assetsOf(parseTemplate(fs.readFileSync(path.join(ROOT, file), 'utf8'), file) as { Metadata?: unknown }).CodePrefix) {
          if (!assets.has(asset)) assets.set(asset, file);
        }
      }
      // then they are the manifest's jobs, no more and no fewer
      expect([...assets.keys()].sort()).to.deep.equal([...listed].sort());
    });

    it('mention no script they do not list as an asset', () => {
      // given every YAML file written under templates-out/ (committed, so never none)
      expect(yamlFiles, 'no template under templates-out/: run `npx dataless synth`').not.to.be.empty;
      const problems: string[] = [];
      for (const file of yamlFiles) {
        const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
        const own = new Set(assetsOf(parseTemplate(text, file) as { Metadata?: unknown }).CodePrefix);
        // when the script paths its text mentions are collected
        for (const ref of scriptReferences(text)) {
          // then each is one of its assets, which packaging uploads
          if (!own.has(ref)) problems.push(`${file} mentions ${ref}, which is not one of its assets`);
        }
      }
      expect(problems).to.deep.equal([]);
    });
  });
});
