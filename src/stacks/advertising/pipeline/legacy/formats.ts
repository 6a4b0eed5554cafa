// How Data Pipeline's objects spell the batch's datasets: the column lists of
// its data formats and the Redshift DDL its copy activities run.
import { redshiftColumnType, type Column, type Dataset } from '../datasets';

/** `name TYPE` per column, as Data Pipeline's CSV and DynamoDB data formats list them. */
export function formatColumns(columns: readonly Column[]): string[] {
  return columns.map((c) => `${c.name} ${c.type}`);
}

/** The Redshift DDL that Data Pipeline runs when the target table does not exist yet. */
export function createTableSql(dataset: Dataset): string {
  const width = Math.max(...dataset.columns.map((c) => c.name.length));
  const columns = dataset.columns.map((c) => `  ${c.name.padEnd(width)} ${redshiftColumnType(c)}`);
  return [
    `CREATE TABLE ${dataset.table} (`,
    columns.join(',\n'),
    ')',
    'DISTSTYLE KEY',
    `DISTKEY (${dataset.distKey});`,
    '',
  ].join('\n');
}
