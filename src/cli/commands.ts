import type { Command } from 'commander';
import type { IO } from '../io';
import { register as synth } from './synth';
import { register as validate } from './validate';
import { register as loadgen } from './loadgen';
import { register as packageCommand } from './package';
import { register as deploy } from './deploy';
import { register as bootstrap } from './bootstrap';
import { register as status } from './status';
import { register as diff } from './diff';
import { register as local } from './local';

/** Adds one command to the program. Command modules hold wiring only. */
export type Register = (program: Command, io: IO) => void;

/** Every command, in the order `--help` lists them. */
export const commands: readonly Register[] = [
  synth,
  validate,
  loadgen,
  packageCommand,
  deploy,
  bootstrap,
  status,
  diff,
  local,
];
