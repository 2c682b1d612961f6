/**
 * Generated container names, Docker style: "adjective_surname". Docker's
 * own list is long; ours is our own, with the same shape and the same
 * retry-with-a-number rule on collision.
 */
const LEFT = [
  'admiring', 'agile', 'amazing', 'bold', 'brave', 'busy', 'calm', 'charming', 'clever', 'cool',
  'dazzling', 'determined', 'eager', 'elastic', 'epic', 'fervent', 'focused', 'friendly', 'gallant', 'gentle',
  'happy', 'hopeful', 'inspiring', 'jolly', 'keen', 'kind', 'laughing', 'lucid', 'magical', 'modest',
  'nifty', 'nostalgic', 'optimistic', 'peaceful', 'practical', 'quirky', 'relaxed', 'serene', 'sharp', 'stoic',
  'sweet', 'tender', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous',
];
const RIGHT = [
  'agnesi', 'archimedes', 'babbage', 'bardeen', 'bell', 'bohr', 'boole', 'cannon', 'carson', 'curie',
  'darwin', 'dijkstra', 'einstein', 'euclid', 'euler', 'faraday', 'fermat', 'fermi', 'franklin', 'galileo',
  'gauss', 'goodall', 'hamilton', 'hawking', 'hopper', 'hypatia', 'johnson', 'kepler', 'knuth', 'lamarr',
  'leakey', 'lovelace', 'mayer', 'meitner', 'mendel', 'newton', 'noether', 'pascal', 'pasteur', 'planck',
  'ritchie', 'shannon', 'sinoussi', 'tesla', 'thompson', 'torvalds', 'turing', 'volhard', 'wiles', 'wright',
];

export function randomName(retry: number, random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const name = `${pick(LEFT)}_${pick(RIGHT)}`;
  return retry > 0 ? `${name}${Math.floor(random() * 10)}` : name;
}

/** A generated name ("/adjective_scientist") no container has yet. */
export function uniqueName(taken: (name: string) => boolean): string {
  for (let retry = 0; ; retry++) {
    const name = `/${randomName(retry)}`;
    if (!taken(name)) return name;
  }
}
