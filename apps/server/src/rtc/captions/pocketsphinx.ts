import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConclaveError } from '@conclave/protocol';
import type {
  RecognitionCallbacks,
  RecognitionStream,
  RecognizerStatus,
  SpeechRecognizer,
} from './recognizer';
import { RECOGNIZER_SAMPLE_RATE } from './recognizer';

export interface PocketSphinxOptions {
  /** The continuous recogniser program (Debian: /usr/bin/pocketsphinx_continuous). */
  command: string;
  /** Holds one folder per language: <lang>/<lang>/ (acoustic model), <lang>.lm.bin, cmudict-<lang>.dict. */
  modelRoot: string;
}

export const POCKETSPHINX_DEFAULTS: PocketSphinxOptions = {
  command: 'pocketsphinx_continuous',
  modelRoot: '/usr/share/pocketsphinx/model',
};

/** Audio a stream may queue when the engine falls behind: 5 s, then it drops (and says so). */
const MAX_QUEUED_BYTES = RECOGNIZER_SAMPLE_RATE * 2 * 5;

const findOnPath = (command: string): string | null => {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
};

interface ModelFiles {
  hmm: string;
  lm: string;
  dict: string;
}

/** "en-us" folder <-> "en-US" tag. */
const tagOf = (folder: string): string =>
  folder.replace(/-([a-z]+)$/, (_, region: string) => `-${region.toUpperCase()}`);

const modelsIn = (root: string): Map<string, ModelFiles> => {
  const models = new Map<string, ModelFiles>();
  if (!existsSync(root)) return models;
  for (const folder of readdirSync(root)) {
    const files = {
      hmm: join(root, folder, folder),
      lm: join(root, folder, `${folder}.lm.bin`),
      dict: join(root, folder, `cmudict-${folder}.dict`),
    };
    if (Object.values(files).every((f) => existsSync(f))) models.set(tagOf(folder), files);
  }
  return models;
};

/**
 * PocketSphinx (CMU Sphinx) as a child process per speaker: raw PCM on stdin, one recognised
 * utterance per stdout line (its voice activity detection ends an utterance at a pause).
 */
export class PocketSphinxRecognizer implements SpeechRecognizer {
  readonly #program: string | null;
  readonly #models: Map<string, ModelFiles>;

  constructor(options: PocketSphinxOptions = POCKETSPHINX_DEFAULTS) {
    this.#program = findOnPath(options.command);
    this.#models = modelsIn(options.modelRoot);
  }

  status(): RecognizerStatus {
    if (!this.#program)
      return {
        available: false,
        engine: 'pocketsphinx',
        reason:
          'Live captions are not available: no speech recognition engine is installed on this server (the operator can install the pocketsphinx and pocketsphinx-en-us packages, or configure an external engine).',
      };
    if (this.#models.size === 0)
      return {
        available: false,
        engine: 'pocketsphinx',
        reason:
          'Live captions are not available: PocketSphinx has no language model installed on this server (the operator can install pocketsphinx-en-us).',
      };
    return { available: true, engine: 'pocketsphinx', languages: [...this.#models.keys()] };
  }

  openStream(language: string, callbacks: RecognitionCallbacks): RecognitionStream {
    const model = this.#models.get(language);
    if (!this.#program) throw new ConclaveError('CAPTIONS_UNAVAILABLE');
    if (!model) throw new ConclaveError('CAPTIONS_LANGUAGE_UNSUPPORTED');
    const args = [
      ...['-infile', '/dev/stdin', '-samprate', String(RECOGNIZER_SAMPLE_RATE)],
      ...['-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict, '-logfn', '/dev/null'],
    ];
    // Node gives a child a socket as stdin, which the program cannot open as /dev/stdin: `cat`
    // turns it into a real pipe. Its own process group, so a stuck engine can be killed whole.
    const child = spawn('/bin/sh', ['-c', 'cat | exec "$0" "$@"', this.#program, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    return new PocketSphinxStream(child, callbacks);
  }
}

class PocketSphinxStream implements RecognitionStream {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #callbacks: RecognitionCallbacks;
  #closed = false;
  #failed = false;

  constructor(child: ChildProcessWithoutNullStreams, callbacks: RecognitionCallbacks) {
    this.#child = child;
    this.#callbacks = callbacks;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const text = line.trim();
      if (text) callbacks.onText(text);
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined); // EPIPE after exit is reported by 'exit'
    child.on('error', (err) => this.#fail(err));
    child.on('exit', (code, signal) => {
      if (!this.#closed)
        this.#fail(new Error(`pocketsphinx exited (${signal ?? `code ${String(code)}`})`));
    });
  }

  write(pcm: Int16Array): void {
    if (this.#closed || this.#failed) return;
    if (this.#child.stdin.writableLength > MAX_QUEUED_BYTES) return; // falling behind: drop
    this.#child.stdin.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Half a second of silence lets the voice detector end the last utterance, then EOF.
    this.#child.stdin.end(Buffer.alloc(RECOGNIZER_SAMPLE_RATE));
    const kill = setTimeout(() => {
      try {
        if (this.#child.pid !== undefined) process.kill(-this.#child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    kill.unref();
    this.#child.once('exit', () => clearTimeout(kill));
  }

  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#callbacks.onError(err);
  }
}
