// The daily batch pipeline, object by object: a schedule and defaults, the
// compute it runs on, the Hive jobs that build the advertising table and load
// the ad traffic table, and (in redshift.ts) the optional Redshift loads.
//
// Compute comes in two flavours. Where the root stack runs its own EMR
// cluster or EC2 instance with a task runner, activities name that runner's
// worker group; otherwise the pipeline brings up an EMR cluster or EC2
// resource of its own and activities run on it.
import { AWS, sub } from '../../../../cfn/intrinsics';
import { onlyIf, pipelineObject, type PipelineObject } from './builder';
import { hiveVariables, jobScript, onEmr, type ObjectContext } from './context';
import { AD_TRAFFIC_COLUMNS } from '../datasets';
import { formatColumns } from './formats';
import { PIPELINE_LOG_FOLDER } from '../../../shared/legacy/task-runner';
import { redshiftObjects } from './redshift';

/** Every object of the daily pipeline, in definition order. */
export function pipelineDefinition(ctx: ObjectContext): PipelineObject[] {
  const { params, conditions } = ctx;

  const schedule = pipelineObject('DailySchedule', 'Daily Schedule', {
    type: 'Schedule',
    period: '1 days',
    startDateTime: '2019-06-06T00:00:00',
    occurrences: 1,
  });

  // What the default engine's BatchRunFailedAlarm is under this one: an object that fails (after its
  // retry) tells the alarm topic, as the pipeline's role, with the error Data Pipeline recorded.
  const failureAlarm = pipelineObject('BatchFailedAlarm', 'Batch Failed Alarm', {
    type: 'SnsAlarm',
    topicArn: params.AlarmTopicArn,
    role: params.PipelineRole,
    subject: 'Dataless daily batch failed: #{node.name}',
    message:
      'The daily batch object #{node.name}, scheduled for #{node.@scheduledStartTime}, failed: #{node.errorMessage}. ' +
      'See docs/operations.md (BatchFailedAlarm).',
  });

  const defaults = pipelineObject('Default', 'Default', {
    type: 'Default',
    schedule,
    scheduleType: 'timeseries',
    role: params.PipelineRole,
    resourceRole: params.PipelineResourceRole,
    pipelineLogUri: sub`s3://${params.BucketName}/${PIPELINE_LOG_FOLDER}`,
    // A failed step re-runs everything downstream of it, one run at a time.
    failureAndRerunMode: 'cascade',
    maxActiveInstances: 1,
    maximumRetries: 1,
    onFail: failureAlarm,
  });

  const ec2Instance = pipelineObject(
    'EC2Instance',
    'EC2 Instance',
    {
      type: 'Ec2Resource',
      actionOnTaskFailure: 'terminate',
      actionOnResourceFailure: 'retryAll',
      maximumRetries: 1,
      instanceType: 'm1.medium',
      subnetId: onlyIf(conditions.vpcEnabled, params.Subnet),
      securityGroupIds: onlyIf(conditions.vpcEnabled, params.SecurityGroup),
      associatePublicIpAddress: true,
      keyPair: onlyIf(conditions.keyPairGiven, params.KeyPair),
      terminateAfter: '3 hours',
    },
    { onlyUnless: conditions.disablePipelineInstance },
  );

  const ownEmr = { onlyUnless: conditions.emrEnabled } as const;
  // Hive on the pipeline's cluster uses the Glue Data Catalog as its metastore,
  // so the jobs see the lake tables by name.
  const metastoreFactory = pipelineObject(
    'HiveMetastoreClientFactoryClass',
    'Hive Metastore Client Factory Class',
    {
      type: 'Property',
      key: 'hive.metastore.client.factory.class',
      value: 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
    },
    ownEmr,
  );
  const metastoreCatalog = pipelineObject(
    'HiveMetastoreCatalog',
    'Hive Metastore Catalog',
    { type: 'Property', key: 'hive.metastore.glue.catalogid', value: AWS.AccountId },
    ownEmr,
  );
  const mapReduceEngine = pipelineObject(
    'UseMRExecutionEngine',
    'Use MapReduce Execution Engine',
    { type: 'Property', key: 'hive.execution.engine', value: 'mr' },
    ownEmr,
  );
  const hiveSite = pipelineObject(
    'HiveSite',
    'Configure hive-site.xml',
    {
      type: 'EmrConfiguration',
      classification: 'hive-site',
      property: [metastoreFactory, metastoreCatalog, mapReduceEngine],
    },
    ownEmr,
  );
  const sparkHiveSite = pipelineObject(
    'SparkHiveSite',
    'Configure spark-hive-site.xml',
    { type: 'EmrConfiguration', classification: 'spark-hive-site', property: [metastoreFactory, metastoreCatalog] },
    ownEmr,
  );
  const emrCluster = pipelineObject(
    'EMRCluster',
    'EMR Cluster',
    {
      type: 'EmrCluster',
      keyPair: onlyIf(conditions.keyPairGiven, params.KeyPair),
      masterInstanceType: 'm1.medium',
      coreInstanceType: 'm3.xlarge',
      coreInstanceCount: 10,
      releaseLabel: 'emr-5.23.0',
      applications: ['hive', 'pig', 'spark'],
      terminateAfter: '3 hours',
      configuration: [hiveSite, sparkHiveSite],
    },
    ownEmr,
  );

  const extractAdvertising = pipelineObject('ExtractAdvertisingData', 'Extract Advertising Data', {
    type: 'HiveActivity',
    scriptUri: jobScript(ctx, 'hive/extract_advertising_data.hql'),
    ...onEmr(ctx, emrCluster),
    // Reads and writes Glue tables directly; no staged input or output.
    stage: false,
    scriptVariable: hiveVariables(ctx),
  });

  // A HiveActivity needs an input and an output data node even where the
  // script reads Glue tables itself; this one stands in as the input.
  const dummyInputFormat = pipelineObject('DummyInputTableFormat', 'Dummy Input Table Format', {
    type: 'CSV',
    column: formatColumns(AD_TRAFFIC_COLUMNS),
  });
  const dummyInput = pipelineObject('DummyInputTable', 'Dummy Input Table', {
    type: 'S3DataNode',
    directoryPath: sub`s3://${params.BucketName}/data/raw/ad/impressions/`,
    dataFormat: dummyInputFormat,
  });

  const adTrafficExists = pipelineObject('AdTrafficTableExists', 'Ad Traffic Table Exists', {
    type: 'DynamoDBTableExists',
    tableName: ctx.tables.adTraffic,
  });
  const adTrafficFormat = pipelineObject('AdTrafficTableFormat', 'Ad Traffic Table Format', {
    type: 'DynamoDBDataFormat',
    column: formatColumns(AD_TRAFFIC_COLUMNS),
  });
  const adTrafficNode = pipelineObject('AdTrafficTable', 'Ad Traffic Table', {
    type: 'DynamoDBDataNode',
    tableName: ctx.tables.adTraffic,
    dataFormat: adTrafficFormat,
    precondition: adTrafficExists,
    writeThroughputPercent: '1.0',
  });
  const writeCapacity = (id: string, name: string, change: string) =>
    pipelineObject(id, name, {
      type: 'ShellScriptConfig',
      scriptUri: jobScript(ctx, 'shell/change_write_capacity.sh'),
      // The region is passed explicitly: an EMR node's shell may have no default region.
      scriptArgument: [ctx.tables.adTraffic, change, AWS.Region],
    });
  // The table idles at one write unit; the load borrows a thousand more for its duration.
  const increaseCapacity = writeCapacity(
    'IncreaseAdTrafficWriteCapacity',
    'Increase Ad Traffic Table Write Capacity',
    '1000',
  );
  const decreaseCapacity = writeCapacity(
    'DecreaseAdTrafficWriteCapacity',
    'Decrease Ad Traffic Table Write Capacity',
    '-1000',
  );
  const loadAdTraffic = pipelineObject('LoadAdTrafficData', 'Load Ad Traffic Into DynamoDB Table', {
    type: 'HiveActivity',
    dependsOn: extractAdvertising,
    scriptUri: jobScript(ctx, 'hive/load_ad_traffic_table.hql'),
    ...onEmr(ctx, emrCluster),
    input: dummyInput,
    output: adTrafficNode,
    preActivityTaskConfig: increaseCapacity,
    postActivityTaskConfig: decreaseCapacity,
    scriptVariable: hiveVariables(ctx),
  });

  return [
    schedule,
    defaults,
    ec2Instance,
    metastoreFactory,
    metastoreCatalog,
    mapReduceEngine,
    hiveSite,
    sparkHiveSite,
    emrCluster,
    extractAdvertising,
    dummyInputFormat,
    dummyInput,
    adTrafficExists,
    adTrafficFormat,
    adTrafficNode,
    increaseCapacity,
    decreaseCapacity,
    loadAdTraffic,
    ...redshiftObjects(ctx, { ec2Instance, emrCluster, extractAdvertising, dummyInput }),
    failureAlarm,
  ];
}
