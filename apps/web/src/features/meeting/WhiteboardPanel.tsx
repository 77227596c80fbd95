import type { WhiteboardClient, WhiteboardElement } from '@conclave/client';
import { useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';

const W = 1280;
const H = 720;
type Tool = 'pen' | 'rect' | 'ellipse' | 'text' | 'eraser';

function draw(ctx: CanvasRenderingContext2D, e: WhiteboardElement): void {
  ctx.strokeStyle = e.color;
  ctx.fillStyle = e.color;
  ctx.lineWidth = e.width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  if (e.kind === 'stroke' && e.points && e.points.length >= 2) {
    ctx.beginPath();
    ctx.moveTo(e.points[0]! * W, e.points[1]! * H);
    for (let i = 2; i < e.points.length; i += 2) ctx.lineTo(e.points[i]! * W, e.points[i + 1]! * H);
    ctx.stroke();
  } else if (e.kind === 'rect') {
    ctx.strokeRect((e.x ?? 0) * W, (e.y ?? 0) * H, (e.w ?? 0) * W, (e.h ?? 0) * H);
  } else if (e.kind === 'ellipse') {
    ctx.beginPath();
    ctx.ellipse(
      ((e.x ?? 0) + (e.w ?? 0) / 2) * W,
      ((e.y ?? 0) + (e.h ?? 0) / 2) * H,
      Math.abs((e.w ?? 0) / 2) * W,
      Math.abs((e.h ?? 0) / 2) * H,
      0,
      0,
      Math.PI * 2,
    );
    ctx.stroke();
  } else if (e.kind === 'text' && e.text) {
    ctx.font = `${Math.max(16, e.width * 8)}px system-ui, sans-serif`;
    ctx.fillText(e.text, (e.x ?? 0) * W, (e.y ?? 0) * H);
  }
}

/** Is (x, y) (board units) on element e? Used by the eraser. */
function hits(e: WhiteboardElement, x: number, y: number): boolean {
  const r = 0.015;
  if (e.kind === 'stroke' && e.points) {
    for (let i = 0; i < e.points.length; i += 2)
      if (Math.hypot(e.points[i]! - x, e.points[i + 1]! - y) < r) return true;
    return false;
  }
  const x0 = Math.min(e.x ?? 0, (e.x ?? 0) + (e.w ?? 0.1));
  const y0 = Math.min(e.y ?? 0, (e.y ?? 0) + (e.h ?? 0.03)) - (e.kind === 'text' ? 0.04 : 0);
  const x1 = Math.max(e.x ?? 0, (e.x ?? 0) + (e.w ?? 0.1));
  const y1 = Math.max(e.y ?? 0, (e.y ?? 0) + (e.h ?? 0.03));
  return x >= x0 - r && x <= x1 + r && y >= y0 - r && y <= y1 + r;
}

export interface WhiteboardPanelProps {
  whiteboard: WhiteboardClient;
  author: string;
  isHost: boolean;
  /** Why the board is read-only right now (this device has no key yet). */
  readOnlyReason: string | undefined;
  /** The meeting is end-to-end encrypted: changes are sealed on the devices (issue 18). */
  e2ee: boolean;
  onError: (text: string) => void;
  onClose: () => void;
}

export function WhiteboardPanel({
  whiteboard,
  author,
  isHost,
  readOnlyReason,
  e2ee,
  onError,
  onClose,
}: WhiteboardPanelProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [elements, setElements] = useState<WhiteboardElement[]>(whiteboard.elements);
  const [tool, setTool] = useState<Tool>('pen');
  const [color, setColor] = useState('#ff5a5f');
  const [text, setText] = useState('');
  const draft = useRef<WhiteboardElement | null>(null);
  const [, redraw] = useState(0);

  useEffect(() => {
    const offChange = whiteboard.on('change', setElements);
    const offError = whiteboard.on('error', onError);
    setElements(whiteboard.elements);
    return () => {
      offChange();
      offError();
    };
  }, [whiteboard, onError]);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, W, H);
    for (const e of elements) draw(ctx, e);
    if (draft.current) draw(ctx, draft.current);
  });

  const at = (ev: ReactPointerEvent<HTMLCanvasElement>) => {
    const r = ev.currentTarget.getBoundingClientRect();
    return { x: (ev.clientX - r.left) / r.width, y: (ev.clientY - r.top) / r.height };
  };
  const id = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  function down(ev: ReactPointerEvent<HTMLCanvasElement>) {
    if (readOnlyReason) return;
    const p = at(ev);
    if (tool === 'eraser') {
      const hit = [...elements].reverse().find((e) => hits(e, p.x, p.y));
      if (hit) whiteboard.erase(hit.id);
      return;
    }
    if (tool === 'text') {
      if (text.trim())
        whiteboard.add({
          id: id(),
          kind: 'text',
          color,
          width: 3,
          x: p.x,
          y: p.y,
          text: text.trim().slice(0, 200),
          author,
        });
      return;
    }
    ev.currentTarget.setPointerCapture(ev.pointerId);
    draft.current =
      tool === 'pen'
        ? { id: id(), kind: 'stroke', color, width: 4, points: [p.x, p.y], author }
        : { id: id(), kind: tool, color, width: 3, x: p.x, y: p.y, w: 0, h: 0, author };
  }
  function move(ev: ReactPointerEvent<HTMLCanvasElement>) {
    const d = draft.current;
    if (!d) return;
    const p = at(ev);
    if (d.kind === 'stroke') d.points = [...(d.points ?? []), p.x, p.y];
    else {
      d.w = p.x - (d.x ?? 0);
      d.h = p.y - (d.y ?? 0);
    }
    redraw((n) => n + 1);
  }
  function up() {
    const d = draft.current;
    draft.current = null;
    if (d && (d.kind !== 'stroke' || (d.points?.length ?? 0) >= 4)) whiteboard.add(d);
    redraw((n) => n + 1);
  }
  function exportPng() {
    canvas.current?.toBlob((blob) => {
      if (!blob) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'whiteboard.png';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }, 'image/png');
  }

  return (
    <aside className="panel whiteboard" aria-label="Whiteboard">
      <header className="panel-header">
        <h2>Whiteboard</h2>
        <button className="icon-button" aria-label="Close whiteboard" onClick={onClose}>
          ×
        </button>
      </header>
      {e2ee && (
        <p className="e2ee-note" data-testid="whiteboard-e2ee">
          <span aria-hidden="true">🔒</span> End-to-end encrypted: changes are sealed on the devices
          in the meeting; the server keeps only ciphertext.
        </p>
      )}
      {readOnlyReason ? (
        <p className="warning" role="note">
          {readOnlyReason} The board is read-only.
        </p>
      ) : (
        <div className="row" role="toolbar" aria-label="Whiteboard tools">
          {(['pen', 'rect', 'ellipse', 'text', 'eraser'] as const).map((t) => (
            <button
              key={t}
              className={`button small ${tool === t ? '' : 'secondary'}`}
              aria-pressed={tool === t}
              onClick={() => setTool(t)}
            >
              {
                {
                  pen: 'Pen',
                  rect: 'Rectangle',
                  ellipse: 'Ellipse',
                  text: 'Text',
                  eraser: 'Eraser',
                }[t]
              }
            </button>
          ))}
          <input
            aria-label="Colour"
            type="color"
            value={color}
            onChange={(e) => setColor(e.target.value)}
          />
          {tool === 'text' && (
            <input
              aria-label="Text to place"
              value={text}
              onChange={(e) => setText(e.target.value)}
              maxLength={200}
              placeholder="Type, then click the board"
            />
          )}
          <button className="button small secondary" onClick={() => whiteboard.undo()}>
            Undo
          </button>
          {isHost && (
            <button className="button small danger" onClick={() => whiteboard.clear()}>
              Clear
            </button>
          )}
        </div>
      )}
      <canvas
        ref={canvas}
        width={W}
        height={H}
        className="board"
        data-testid="whiteboard-canvas"
        aria-label={`Whiteboard with ${elements.length} item${elements.length === 1 ? '' : 's'}`}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
      />
      <button className="button small secondary" onClick={exportPng}>
        Export as PNG
      </button>
    </aside>
  );
}
