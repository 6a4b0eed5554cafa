// The optional Redshift half of the daily pipeline, present only when a
// cluster and its credentials are given. It loads the warehouse two ways, as
// the original did: Hive stages each dataset as CSV in S3 for a
// RedshiftCopyActivity, and SQL activities copy the same data from the lake
// through Redshift Spectrum.
import { AWS, sub } from '../../../../cfn/intrinsics';
import { pipelineObject, type PipelineObject, type Presence } from './builder';
import { hiveVariables, RUN, jobScript, onEmr, onInstance, type ObjectContext } from './context';
import { stagingFolder, type Dataset } from '../datasets';
import { createTableSql, formatColumns } from './formats';
import { SPECTRUM_LOADS, SPECTRUM_SCHEMA, STAGED_DATASETS, datasetTitle, type SpectrumLoad } from '../jobs';

/** The objects of the Hive half that Redshift objects refer to. */
export interface UpstreamObjects {
  readonly ec2Instance: PipelineObject;
  readonly emrCluster: PipelineObject;
  readonly extractAdvertising: PipelineObject;
  readonly dummyInput: PipelineObject;
}

export function redshiftObjects(ctx: ObjectContext, upstream: UpstreamObjects): PipelineObject[] {
  const { params } = ctx;
  const withRedshift: Presence = { onlyIf: ctx.conditions.redshiftEnabled };

  const cluster = pipelineObject(
    'RedshiftCluster',
    'Redshift Cluster',
    {
      type: 'RedshiftDatabase',
      clusterId: params.RedshiftClusterId,
      username: params.RedshiftUsername,
      // A leading asterisk tells Data Pipeline to store the value encrypted and never show it.
      '*password': params.RedshiftPassword,
      databaseName: params.RedshiftDatabase,
      region: AWS.Region,
    },
    withRedshift,
  );

  /**
   * Table, staging area, Hive staging job and COPY for one dataset. Every
   * staging script repairs the lake's partitions, as the extract does:
   * running them after the extract keeps two repairs of one table from racing.
   */
  const copyLoad = (dataset: Dataset): PipelineObject[] => {
    const title = datasetTitle(dataset);
    const table = pipelineObject(
      `Redshift${title}Table`,
      `Redshift ${title} Table`,
      {
        type: 'RedshiftDataNode',
        database: cluster,
        tableName: dataset.table,
        createTableSql: createTableSql(dataset),
      },
      withRedshift,
    );
    const stagingFormat = pipelineObject(
      `Redshift${title}StagingTableFormat`,
      `Redshift ${title} Staging Table Format`,
      { type: 'CSV', column: formatColumns(dataset.columns) },
      withRedshift,
    );
    const staging = pipelineObject(
      `Redshift${title}StagingTable`,
      `Redshift ${title} Staging Table`,
      {
        type: 'S3DataNode',
        directoryPath: sub`s3://${params.BucketName}/${stagingFolder(dataset)}`,
        dataFormat: stagingFormat,
      },
      withRedshift,
    );
    const stage = pipelineObject(
      `Stage${title}ForRedshift`,
      `Stage ${title} for Redshift`,
      {
        type: 'HiveActivity',
        dependsOn: [upstream.extractAdvertising],
        scriptUri: jobScript(ctx, `hive/stage_${dataset.table}_for_redshift.hql`),
        ...onEmr(ctx, upstream.emrCluster),
        input: upstream.dummyInput,
        output: staging,
        scriptVariable: hiveVariables(ctx),
      },
      withRedshift,
    );
    const load = pipelineObject(
      `Load${title}IntoRedshift`,
      `Load ${title} Into Redshift`,
      {
        type: 'RedshiftCopyActivity',
        dependsOn: stage,
        input: staging,
        output: table,
        insertMode: 'APPEND',
        ...onInstance(ctx, upstream.ec2Instance),
      },
      withRedshift,
    );
    return [table, stagingFormat, staging, stage, load];
  };

  const useSpectrum = pipelineObject(
    'UseSpectrumDataLake',
    'Use Spectrum Data Lake',
    {
      type: 'SqlActivity',
      ...onInstance(ctx, upstream.ec2Instance),
      database: cluster,
      // Maps the lake's Glue database into Redshift as an external schema.
      script: sub`CREATE EXTERNAL SCHEMA IF NOT EXISTS ${SPECTRUM_SCHEMA}
FROM DATA CATALOG DATABASE '${params.Database}'
IAM_ROLE '${params.PipelineRoleARN}'
CREATE EXTERNAL DATABASE IF NOT EXISTS;
`,
    },
    withRedshift,
  );

  /** A SQL job that copies one lake table into Redshift through Spectrum, for the run's dates. */
  const spectrumLoad = (load: SpectrumLoad) =>
    pipelineObject(
      load.name,
      // The original's display names are the ids, spaced: `Spectrum Load Raw Impressions`.
      load.name.replace(/(?<=[a-z])(?=[A-Z])/g, ' '),
      {
        type: 'SqlActivity',
        dependsOn: [useSpectrum, ...(load.afterExtract ? [upstream.extractAdvertising] : [])],
        database: cluster,
        ...onInstance(ctx, upstream.ec2Instance),
        scriptUri: jobScript(ctx, `redshift/${load.script}.sql`),
        scriptArgument: load.arguments.map((field) => RUN[field]),
      },
      withRedshift,
    );

  return [cluster, ...STAGED_DATASETS.flatMap(copyLoad), useSpectrum, ...SPECTRUM_LOADS.map(spectrumLoad)];
}
