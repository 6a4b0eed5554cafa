import { randomBytes } from 'node:crypto';

/** The randomness the simulation draws on; seeded so that a run can be replayed in tests. */
export interface Random {
  /** A uniformly distributed number in [0, 1). */
  next(): number;
  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number;
  /** A random (version 4) UUID. */
  uuid(): string;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(x: number): string {
  return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

function hex4(x: number): string {
  return HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/** Formats 128 bits, given as four 32-bit words, as a version 4 (random) UUID. */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  const versioned = ((b & 0xffff0fff) | 0x00004000) >>> 0;
  const variant = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  return `${hex8(a)}-${hex4(versioned >>> 16)}-${hex4(versioned)}-${hex4(variant >>> 16)}-${hex4(variant)}${hex8(d)}`;
}

/**
 * The sfc32 generator: small, fast, 128 bits of state, and good enough
 * statistically for simulated traffic. It is not a source of secrets.
 */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from one number (tests) or, without one, from the operating system. */
  constructor(seed?: number) {
    if (seed === undefined) {
      const bytes = randomBytes(16);
      this.a = bytes.readUInt32LE(0);
      this.b = bytes.readUInt32LE(4);
      this.c = bytes.readUInt32LE(8);
      this.d = bytes.readUInt32LE(12);
    } else {
      this.a = 0x9e3779b9;
      this.b = 0x243f6a88;
      this.c = 0xb7e15162;
      this.d = seed >>> 0;
      this.a ^= Math.floor(seed / 0x1_0000_0000) >>> 0;
    }
    // Discard the first outputs so that nearby seeds diverge.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  uuid(): string {
    return formatUuid(this.uint32(), this.uint32(), this.uint32(), this.uint32());
  }
}
