// Camera resolution the user picked; low keeps CPU and bandwidth down on small machines.
export type VideoQuality = 'low' | 'standard' | 'high';

export const VIDEO_CONSTRAINTS: Record<VideoQuality, MediaTrackConstraints> = {
  low: { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15 } },
  standard: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } },
  high: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
};

const key = 'conclave.videoQuality';
export function savedVideoQuality(): VideoQuality {
  const v = localStorage.getItem(key);
  return v === 'low' || v === 'high' ? v : 'standard';
}
export function saveVideoQuality(q: VideoQuality): void {
  localStorage.setItem(key, q);
}
