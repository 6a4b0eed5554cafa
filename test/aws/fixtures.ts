// Templates that the tests deploy to moto.

/** A stack moto's CloudFormation creates: a queue and a bucket, one NoEcho parameter (moto spots no-op updates only when parameters are passed). */
export function fixtureTemplate(extraOutputs = ''): string {
  return [
    'Parameters:',
    '  Greeting: {Type: String, NoEcho: true, Default: hello}',
    'Resources:',
    '  Queue:',
    '    Type: AWS::SQS::Queue',
    '  Store:',
    '    Type: AWS::S3::Bucket',
    'Outputs:',
    '  QueueUrl: {Value: !Ref Queue}',
    extraOutputs,
  ].join('\n');
}
