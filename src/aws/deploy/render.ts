// How a deployment looks on stderr: the parameters, the change set (nested
// stacks expanded), stack events as lines, and on a terminal a status line
// below them that is redrawn in place. Nothing here calls AWS.
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { IO } from '../../io';
import type { ChangeNode } from './changeset';
import type { FollowedEvent } from './events';
import type { PlannedParameter } from './parameters';
import { palette, type Paint } from '../../palette';

/** What a change set does, counted over every stack in it. */
export interface ChangeCounts {
  readonly add: number;
  readonly modify: number;
  readonly remove: number;
  /** Modifications that replace the resource (True), or may (Conditional). */
  readonly replace: number;
  readonly other: number;
}

export function countChanges(nodes: readonly ChangeNode[]): ChangeCounts {
  const counts = { add: 0, modify: 0, remove: 0, replace: 0, other: 0 };
  const visit = (list: readonly ChangeNode[]) => {
    for (const node of list) {
      const action = node.change.Action;
      // A nested stack whose own changes are listed is counted through them.
      if (node.children.length === 0 || action !== 'Modify') {
        if (action === 'Add') counts.add++;
        else if (action === 'Modify') counts.modify++;
        else if (action === 'Remove') counts.remove++;
        else counts.other++;
        if (action === 'Modify' && (node.change.Replacement === 'True' || node.change.Replacement === 'Conditional'))
          counts.replace++;
      }
      visit(node.children);
    }
  };
  visit(nodes);
  return counts;
}

/** One line of counts, e.g. "2 to add, 1 to modify (1 replaced), 0 to remove". */
export function summarizeChanges(counts: ChangeCounts): string {
  const parts = [
    `${counts.add} to add`,
    `${counts.modify} to modify${counts.replace > 0 ? ` (${counts.replace} replaced)` : ''}`,
    `${counts.remove} to remove`,
  ];
  if (counts.other > 0) parts.push(`${counts.other} other`);
  return parts.join(', ');
}

const SYMBOL: Record<string, string> = {
  Add: '+',
  Modify: '~',
  Remove: '-',
  Import: '<',
  Dynamic: '?',
  SyncWithActual: '=',
};

/** The change set as an indented list, one resource a line, nested stacks' changes under their stack. */
export function renderChangeSet(title: string, nodes: readonly ChangeNode[], color: boolean): string {
  const p = palette(color);
  const paint: Record<string, Paint> = { Add: p.green, Modify: p.yellow, Remove: p.red };
  const rows: Array<{ indent: number; action: string; id: string; type: string; note: string }> = [];
  const visit = (list: readonly ChangeNode[], indent: number) => {
    for (const { change, children } of list) {
      const action = change.Action ?? '?';
      let note = '';
      if (action === 'Modify' && change.Replacement === 'True') note = 'replacement';
      else if (action === 'Modify' && change.Replacement === 'Conditional') note = 'may be replaced';
      rows.push({ indent, action, id: change.LogicalResourceId ?? '?', type: change.ResourceType ?? '', note });
      visit(children, indent + 1);
    }
  };
  visit(nodes, 0);
  const idWidth = Math.max(0, ...rows.map((r) => r.indent * 2 + r.id.length));
  const typeWidth = Math.max(0, ...rows.map((r) => r.type.length));
  const lines = rows.map((r) => {
    const colour = paint[r.action] ?? ((t: string) => t);
    const id = `${'  '.repeat(r.indent)}${r.id}`.padEnd(idWidth);
    const type = r.note ? r.type.padEnd(typeWidth) : r.type;
    const note = r.note ? `  ${p.magenta(r.note)}` : '';
    return `  ${colour(`${SYMBOL[r.action] ?? '?'} ${r.action.padEnd(6)}`)}  ${id}  ${p.dim(type)}${note}`.trimEnd();
  });
  if (lines.length === 0) lines.push('  (no resource changes: parameters, outputs or metadata only)');
  return `${title}\n${lines.join('\n')}\n  ${summarizeChanges(countChanges(nodes))}\n`;
}

/** The parameters as sent; NoEcho values are never shown. */
export function renderParameters(parameters: readonly PlannedParameter[]): string {
  if (parameters.length === 0) return '';
  const width = Math.max(...parameters.map((p) => p.name.length));
  const lines = parameters.map((p) => {
    let shown: string;
    if (p.usePrevious) shown = p.noEcho ? '**** (kept)' : `${JSON.stringify(p.previous ?? '')} (kept)`;
    else if (p.noEcho) shown = '****';
    else if (p.previous !== undefined && p.previous !== p.value)
      shown = `${JSON.stringify(p.previous)} -> ${JSON.stringify(p.value)}`;
    else shown = JSON.stringify(p.value);
    return `  ${p.name.padEnd(width)}  ${shown}`;
  });
  return `parameters:\n${lines.join('\n')}\n`;
}

/** The stack's outputs, one `Key: value` a line. */
export function renderOutputs(outputs: Readonly<Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([key, value]) => `${key}: ${value}\n`)
    .join('');
}

/** Where an event comes from: logical ids from the root, e.g. `Service/CaptureApi`. */
function eventName(e: FollowedEvent): string {
  return [...e.path, e.event.LogicalResourceId ?? '?'].join('/');
}

/** True for a nested stack's report about itself, which its parent's event already shows. */
function isNestedSelfReport(e: FollowedEvent): boolean {
  return e.path.length > 0 && e.event.PhysicalResourceId === e.event.StackId;
}

function statusPaint(status: string, p: ReturnType<typeof palette>): Paint {
  if (status.endsWith('_FAILED') || status.includes('ROLLBACK')) return p.red;
  if (status.endsWith('_COMPLETE')) return p.green;
  return p.yellow;
}

/** One event as a log line: time, status, resource, type and reason. */
export function formatEvent(e: FollowedEvent, color: boolean): string {
  const p = palette(color);
  const status = e.event.ResourceStatus ?? '?';
  const time = e.event.Timestamp ? e.event.Timestamp.toISOString().slice(11, 19) : '--:--:--';
  const reason = e.event.ResourceStatusReason ? `  ${e.event.ResourceStatusReason}` : '';
  return `${p.dim(time)}  ${statusPaint(status, p)(status.padEnd(28))}  ${eventName(e)}  ${p.dim(e.event.ResourceType ?? '')}${reason}`;
}

/** The first failure and its reason, for the error message. */
export function describeFailure(cause: FollowedEvent): string {
  return `${eventName(cause)} (${cause.event.ResourceType ?? 'resource'}) ${cause.event.ResourceStatus}: ${cause.event.ResourceStatusReason ?? 'no reason given'}`;
}

/**
 * Stack events as they come: plain lines in logs; on a terminal the same
 * lines with a status line under them (resources in progress, time so far)
 * that is redrawn in place and cleared at the end.
 */
export class EventView {
  private readonly inProgress = new Map<string, string>();
  private status = '';
  private drawn = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly io: IO,
    private readonly stackName: string,
  ) {}

  events(list: readonly FollowedEvent[]): void {
    if (list.length === 0) return;
    this.clear();
    for (const e of list) {
      const name = eventName(e);
      const status = e.event.ResourceStatus ?? '';
      if (isNestedSelfReport(e)) continue;
      if (status.endsWith('_IN_PROGRESS')) this.inProgress.set(name, status);
      else this.inProgress.delete(name);
      this.io.err(`${formatEvent(e, this.io.color)}\n`);
    }
    this.draw();
  }

  stack(stack: Stack): void {
    this.status = stack.StackStatus ?? '';
    this.clear();
    this.draw();
  }

  /** Removes the status line. */
  close(): void {
    this.clear();
  }

  private draw(): void {
    if (!this.io.interactive) return;
    const seconds = Math.round((Date.now() - this.startedAt) / 1000);
    const elapsed = `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
    const busy = [...this.inProgress.keys()].filter((k) => k !== this.stackName);
    const list =
      busy.length > 0
        ? `, ${busy.length} in progress: ${busy.slice(0, 3).join(', ')}${busy.length > 3 ? ', …' : ''}`
        : '';
    const columns = Number(this.io.env.COLUMNS) || 120;
    const line = `${this.stackName} ${this.status}${list} (${elapsed})`.slice(0, columns - 1);
    this.io.err(palette(this.io.color).bold(line));
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.io.err('\r\u001b[2K');
    this.drawn = false;
  }
}
