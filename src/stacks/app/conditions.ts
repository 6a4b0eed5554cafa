// The switches of the root stack. An optional component is "enabled" by a
// non-empty parameter, and only exists when everything it needs is given too.
import { and, equals, not, notEmpty, or } from '../../cfn/intrinsics';
import type { Condition, Template } from '../../cfn/template';
import { BATCH_ENGINE } from '../shared/batch-engine';
import { REAL_TIME_ENGINE } from '../shared/realtime-engine';
import type { AppParameters } from './parameters';

/** Handles of every root condition, by logical id. */
export interface AppConditions {
  /** Both DNS names are given: certificate, custom domain and record set exist. */
  readonly DNSEnabled: Condition;
  /** DNS is set up and no hosted zone id is given, so the stack creates the zone. */
  readonly InternalHostedZone: Condition;
  /** BatchEngine is the original's Data Pipeline, whose task runners the instance and the EMR cluster are. */
  readonly LegacyBatch: Condition;
  /** RealTimeEngine is the original's Kinesis Analytics SQL: the ops dashboard charts its applications. */
  readonly LegacyRealTime: Condition;
  /** The task-runner instance is asked for, has Task Runner credentials, and Data Pipeline runs the batch. */
  readonly EC2InstanceEnabled: Condition;
  /** The EMR cluster is asked for, has Task Runner credentials, and Data Pipeline runs the batch. */
  readonly EMREnabled: Condition;
  /** The EMR cluster is given TLS certificates: its security configuration encrypts traffic between nodes too. */
  readonly EMRInTransitEncryption: Condition;
  /** Redshift is asked for and has a database and a user, and a password under the legacy engine (the default engine's cluster manages its own). */
  readonly RedshiftEnabled: Condition;
  /** Redshift is enabled under the default engine: the cluster reads the lake as RedshiftSpectrumRole. */
  readonly StepFunctionsRedshift: Condition;
  /** Redshift is enabled under the legacy engine: the original's EC2-Classic cluster security group is kept for it. */
  readonly LegacyRedshiftSecurityGroup: Condition;
  /** One Redshift node: a single-node cluster, which takes no node count. */
  readonly RedshiftSingleNode: Condition;
  /** Something that lives in the VPC is asked for (or the VPC itself). */
  readonly VPCEnabled: Condition;
  /** An EC2 key pair is given, so SSH is possible. */
  readonly KeyPairGiven: Condition;
  /** A key pair and the address range logins come from are given: the security group admits SSH from that range. */
  readonly SSHAllowed: Condition;
  /** The legacy task runners run (instance or EMR): they reach Data Pipeline over the internet gateway, so they need public addresses. */
  readonly TaskRunnersRun: Condition;
  /** An e-mail address for alarms is given: it is subscribed to the alarm topic. */
  readonly AlarmEmailGiven: Condition;
}

export function declareConditions(t: Template, p: AppParameters): AppConditions {
  const taskRunnerCredentials = [notEmpty(p.AccessKeyID), notEmpty(p.SecretAccessKey)] as const;
  const KeyPairGiven = t.condition('KeyPairGiven', notEmpty(p.KeyPair));
  const DNSEnabled = t.condition('DNSEnabled', and(notEmpty(p.DNSDomainName), notEmpty(p.BaseDNSName)));
  const InternalHostedZone = t.condition('InternalHostedZone', and(DNSEnabled, equals(p.HostedZoneID, '')));
  const LegacyBatch = BATCH_ENGINE.declareLegacy(t, p.BatchEngine);
  const EC2InstanceEnabled = t.condition(
    'EC2InstanceEnabled',
    and(notEmpty(p.EnableEC2Instance), ...taskRunnerCredentials, LegacyBatch),
  );
  const EMREnabled = t.condition(
    'EMREnabled',
    and(notEmpty(p.EnableEMRCluster), ...taskRunnerCredentials, LegacyBatch),
  );
  const RedshiftEnabled = t.condition(
    'RedshiftEnabled',
    and(
      notEmpty(p.EnableRedshift),
      notEmpty(p.RedshiftDatabase),
      notEmpty(p.RedshiftUsername),
      or(not(LegacyBatch), notEmpty(p.RedshiftPassword)),
    ),
  );
  return {
    DNSEnabled,
    InternalHostedZone,
    LegacyBatch,
    LegacyRealTime: REAL_TIME_ENGINE.declareLegacy(t, p.RealTimeEngine),
    EC2InstanceEnabled,
    EMREnabled,
    EMRInTransitEncryption: t.condition('EMRInTransitEncryption', notEmpty(p.EMRTLSCertificates)),
    RedshiftEnabled,
    StepFunctionsRedshift: t.condition('StepFunctionsRedshift', and(RedshiftEnabled, not(LegacyBatch))),
    LegacyRedshiftSecurityGroup: t.condition('LegacyRedshiftSecurityGroup', and(RedshiftEnabled, LegacyBatch)),
    RedshiftSingleNode: t.condition('RedshiftSingleNode', equals(p.RedshiftNumberOfNodes, '1')),
    VPCEnabled: t.condition(
      'VPCEnabled',
      or(
        notEmpty(p.EnableVPC),
        notEmpty(p.EnableEC2Instance),
        notEmpty(p.EnableEMRCluster),
        notEmpty(p.EnableRedshift),
      ),
    ),
    KeyPairGiven,
    SSHAllowed: t.condition('SSHAllowed', and(KeyPairGiven, notEmpty(p.SSHLocation))),
    TaskRunnersRun: t.condition('TaskRunnersRun', or(EC2InstanceEnabled, EMREnabled)),
    AlarmEmailGiven: t.condition('AlarmEmailGiven', notEmpty(p.AlarmEmail)),
  };
}
