import type { Config } from '../../config/config';
import { PocketSphinxRecognizer } from './pocketsphinx';
import { NoRecognizer } from './recognizer';
import type { SpeechRecognizer } from './recognizer';
import { WhisperHttpRecognizer } from './whisper-http';

/** The captions engine the operator configured (README: "Live captions"). */
export function selectRecognizer(config: Config['captions']): SpeechRecognizer {
  switch (config.engine) {
    case 'off':
      return new NoRecognizer('Live captions are turned off on this server.');
    case 'whisper':
      return new WhisperHttpRecognizer({
        url: config.whisperUrl ?? '',
        languages: config.whisperLanguages,
      });
    case 'pocketsphinx':
      return new PocketSphinxRecognizer({
        command: config.pocketsphinxCommand,
        modelRoot: config.pocketsphinxModelRoot,
      });
  }
}
