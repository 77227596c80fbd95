import { useCallback, useEffect, useRef, useState } from 'react';
import { VIDEO_CONSTRAINTS } from '../../state/video-quality';
import type { VideoQuality } from '../../state/video-quality';

export type DeviceStatus = 'pending' | 'ok' | 'denied' | 'unavailable' | 'off';

export interface LocalMedia {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micStatus: DeviceStatus;
  camStatus: DeviceStatus;
  micOn: boolean;
  camOn: boolean;
  devices: MediaDeviceInfo[];
  micDeviceId: string | undefined;
  camDeviceId: string | undefined;
  setMicOn: (on: boolean) => void;
  setCamOn(on: boolean): Promise<void>;
  chooseMicrophone(deviceId: string): Promise<void>;
  chooseCamera(deviceId: string): Promise<void>;
}

function statusOf(err: unknown): DeviceStatus {
  const name = (err as { name?: string }).name;
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable';
}

/**
 * Camera and microphone for the pre-join screen and the meeting. Audio and video are asked for
 * separately, so a denied camera still leaves the microphone (and the other way round).
 */
export function useLocalMedia(quality: VideoQuality): LocalMedia {
  const [microphone, setMicrophone] = useState<MediaStreamTrack | null>(null);
  const [camera, setCamera] = useState<MediaStreamTrack | null>(null);
  const [micStatus, setMicStatus] = useState<DeviceStatus>('pending');
  const [camStatus, setCamStatus] = useState<DeviceStatus>('pending');
  const [micOn, setMicOnState] = useState(true);
  const [camOn, setCamOnState] = useState(true);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [micDeviceId, setMicDeviceId] = useState<string>();
  const [camDeviceId, setCamDeviceId] = useState<string>();
  const tracks = useRef<{ mic: MediaStreamTrack | null; cam: MediaStreamTrack | null }>({
    mic: null,
    cam: null,
  });

  const refreshDevices = useCallback(async () => {
    try {
      setDevices(await navigator.mediaDevices.enumerateDevices());
    } catch {
      setDevices([]);
    }
  }, []);

  const openCamera = useCallback(
    async (deviceId?: string) => {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          video: {
            ...VIDEO_CONSTRAINTS[quality],
            ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
          },
        });
        const track = stream.getVideoTracks()[0] ?? null;
        tracks.current.cam?.stop();
        tracks.current.cam = track;
        setCamera(track);
        setCamDeviceId(track?.getSettings().deviceId);
        setCamStatus('ok');
        return track;
      } catch (err) {
        setCamStatus(statusOf(err));
        return null;
      }
    },
    [quality],
  );

  const openMicrophone = useCallback(async (deviceId?: string) => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { deviceId: { exact: deviceId } } : true,
      });
      const track = stream.getAudioTracks()[0] ?? null;
      tracks.current.mic?.stop();
      tracks.current.mic = track;
      setMicrophone(track);
      setMicDeviceId(track?.getSettings().deviceId);
      setMicStatus('ok');
      return track;
    } catch (err) {
      setMicStatus(statusOf(err));
      return null;
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setMicStatus('unavailable');
        setCamStatus('unavailable');
        return;
      }
      await openMicrophone();
      if (!cancelled) await openCamera();
      await refreshDevices();
    })();
    return () => {
      cancelled = true;
      tracks.current.mic?.stop();
      tracks.current.cam?.stop();
    };
    // Runs once: later changes go through the choose*/set* actions.
  }, []);

  const setMicOn = useCallback((on: boolean) => {
    setMicOnState(on);
    if (tracks.current.mic) tracks.current.mic.enabled = on;
  }, []);

  return {
    setMicOn,
    microphone,
    camera,
    micStatus,
    camStatus,
    micOn,
    camOn,
    devices,
    micDeviceId,
    camDeviceId,
    async setCamOn(on) {
      setCamOnState(on);
      if (!on) {
        // Off means off: the camera light goes out, nothing is sent.
        tracks.current.cam?.stop();
        tracks.current.cam = null;
        setCamera(null);
        if (camStatus === 'ok') setCamStatus('off');
      } else {
        await openCamera(camDeviceId);
      }
    },
    async chooseMicrophone(deviceId) {
      await openMicrophone(deviceId);
      if (tracks.current.mic) tracks.current.mic.enabled = micOn;
    },
    async chooseCamera(deviceId) {
      if (camOn) await openCamera(deviceId);
      else setCamDeviceId(deviceId);
    },
  };
}
