import { useEffect } from 'react';

export interface Shortcut {
  keys: string;
  what: string;
}

/** The shortcuts people know from other meeting apps (listed in the help dialog). */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+D', what: 'Mute or unmute the microphone' },
  { keys: 'Ctrl+E', what: 'Turn the camera on or off' },
  { keys: 'Ctrl+Alt+H', what: 'Raise or lower your hand' },
  { keys: 'Escape', what: 'Close the open panel or menu' },
  { keys: '?', what: 'Show these shortcuts' },
];

/** Meeting keyboard shortcuts; typing in a field is never taken over (except Ctrl+D/E). */
export function useShortcuts(actions: {
  toggleMic: () => void;
  toggleCam: () => void;
  closePanel: () => void;
  help: () => void;
  toggleHand: () => void;
}): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement &&
        (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && e.key.toLowerCase() === 'd') {
        e.preventDefault();
        actions.toggleMic();
      } else if (mod && !e.altKey && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        actions.toggleCam();
      } else if (mod && e.altKey && e.code === 'KeyH') {
        e.preventDefault();
        actions.toggleHand();
      } else if (e.key === 'Escape' && !document.querySelector('[aria-modal="true"]')) {
        actions.closePanel();
      } else if (e.key === '?' && !typing) {
        actions.help();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [actions]);
}
