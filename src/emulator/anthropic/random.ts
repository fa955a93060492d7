// Seeded randomness for ids and result order, so a test that passes a seed sees the same run twice.

/** mulberry32: tiny, fast, good enough for shuffles and ids (not for anything secret). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';

/** Ids shaped like the real ones: `msgbatch_01` + 22 base58 characters. */
export function makeIdFactory(random: () => number): (prefix: string) => string {
  return (prefix) => {
    let id = `${prefix}_01`;
    for (let i = 0; i < 22; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
    return id;
  };
}

/** Fisher-Yates on a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
