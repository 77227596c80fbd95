import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Tile } from '../Tile';
import type { TileProps } from '../Tile';
import { VideoView } from '../VideoView';
import { fitGrid, orderTiles, pageOf, tilesPerPage } from './gallery-layout';
import { useElementSize } from './useElementSize';

export type LayoutMode = 'gallery' | 'speaker';

export interface StageTile extends Omit<TileProps, 'participantId'> {
  id: string;
}

export interface StageProps {
  mode: LayoutMode;
  self: StageTile;
  others: StageTile[];
  /** A shared screen: someone else's, or this device's own (the sharer sees what they share). */
  screen: { track: MediaStreamTrack; owner: string; own: boolean } | null;
  speaker: string | undefined;
  pinned: string | undefined;
  onPin: (id: string | undefined) => void;
  selfHidden: boolean;
  onSelfHidden: (hidden: boolean) => void;
  /** Cards over the stage (waiting for the host, held). */
  children?: ReactNode;
}

const NARROW_PX = 700;

/**
 * The meeting's video area: a gallery of 16:9 tiles that fills the space (pages beyond what
 * fits, recent speakers first), a speaker view, and a presenter layout for a shared screen.
 * The self-view floats small in a corner once someone else is here, and can be hidden.
 */
export function Stage(props: StageProps) {
  const { others, self, speaker, pinned } = props;
  const lastSpoke = useRef(new Map<string, number>());
  if (speaker) lastSpoke.current.set(speaker, Date.now());
  const [page, setPage] = useState(0);
  const areaRef = useRef<HTMLDivElement>(null);
  const area = useElementSize(areaRef);
  const narrow = area.width > 0 && area.width < NARROW_PX;
  const alone = others.length === 0;
  const presenter = props.screen !== null;
  const speakerMode = !presenter && props.mode === 'speaker' && !alone;

  const order = orderTiles(
    others.map((t) => t.id),
    lastSpoke.current,
    pinned,
  );
  const byId = new Map(others.map((t) => [t.id, t]));
  const ordered = order.map((id) => byId.get(id)!);
  const pinnedTile = pinned !== undefined ? byId.get(pinned) : undefined;
  // The host's spotlight shows one person large for everyone (the spotlit person too).
  const spotlit = others.find((t) => t.spotlight) ?? (self.spotlight && !alone ? self : undefined);
  // A pin on this device shows that person large, like the speaker view, and wins over the
  // spotlight on this device only.
  const featured = presenter
    ? undefined
    : (pinnedTile ??
      spotlit ??
      (speakerMode ? (byId.get(speaker ?? '') ?? ordered[0]) : undefined));
  const selfFeatured = featured === self;

  const tileFor = (
    t: StageTile,
    size?: { width: number; height: number },
    extra = '',
    noPin = false,
  ) => (
    <Tile
      key={t.id}
      {...t}
      participantId={t.id as TileProps['participantId']}
      size={size}
      className={extra}
      pinned={pinned === t.id}
      onPin={noPin ? undefined : () => props.onPin(pinned === t.id ? undefined : t.id)}
    />
  );

  // The gallery: everyone but the floating self-view (or everyone, alone).
  const galleryTiles = alone ? [] : ordered;
  let main: ReactNode;
  let strip: StageTile[] = [];
  if (presenter || featured) {
    strip = presenter ? ordered : ordered.filter((t) => t !== featured);
    const box = fitGrid(area.width, area.height, 1, presenter ? 16 / 9 : undefined);
    main = presenter ? (
      <section className="screen-stage" aria-label="Shared screen">
        {props.screen!.own ? (
          <>
            <VideoView track={props.screen!.track} muted label="Your shared screen" />
            <p className="screen-caption" data-testid="own-share-notice">
              You are sharing your screen. Everyone sees what is shown here.
            </p>
          </>
        ) : (
          <>
            <VideoView
              track={props.screen!.track}
              muted
              label={`Screen shared by ${props.screen!.owner}`}
              testId="shared-screen"
            />
            <p className="screen-caption">{props.screen!.owner} is sharing their screen</p>
          </>
        )}
      </section>
    ) : (
      tileFor(featured!, { width: box.tileWidth, height: box.tileHeight }, 'featured', selfFeatured)
    );
  }

  const maxPerPage = narrow ? 6 : 16;
  const minWidth = narrow ? 150 : 200;
  const selfInGrid = alone;
  const gridItems = selfInGrid ? [self] : galleryTiles;
  const perPage = tilesPerPage(area.width, area.height, gridItems.length, minWidth, maxPerPage);
  const pages = Math.max(1, Math.ceil(gridItems.length / perPage));
  const current = Math.min(page, pages - 1);
  useEffect(() => {
    if (page > pages - 1) setPage(pages - 1);
  }, [page, pages]);
  const shown = pageOf(gridItems, perPage, current);
  const geo = fitGrid(area.width, area.height, shown.length);
  const size = { width: geo.tileWidth, height: geo.tileHeight };

  // With a large tile or a shared screen, the self-view joins the strip instead of covering it.
  const inStrip = presenter || Boolean(featured);
  const selfView =
    !alone &&
    !selfFeatured &&
    (props.selfHidden ? (
      <button
        className="button small secondary self-view-show"
        onClick={() => props.onSelfHidden(false)}
      >
        Show self-view
      </button>
    ) : (
      <Tile
        {...self}
        participantId={self.id as TileProps['participantId']}
        className={inStrip ? 'self-view in-strip' : 'self-view'}
      >
        <button
          className="tile-hide"
          aria-label="Hide self-view"
          title="Hide self-view (the others still see you)"
          onClick={() => props.onSelfHidden(true)}
        >
          ×
        </button>
      </Tile>
    ));

  return (
    <div
      className={`stage-area${presenter ? ' presenter' : featured ? ' speaker-view' : ' gallery'}${narrow ? ' narrow' : ''}`}
      data-layout={presenter ? 'presenter' : featured ? 'speaker' : 'gallery'}
    >
      {props.children}
      <div className="stage-main" ref={areaRef}>
        {main ?? (
          <section
            className="grid"
            aria-label="Video grid"
            style={{ gridTemplateColumns: `repeat(${geo.cols}, ${geo.tileWidth}px)` }}
          >
            {shown.map((t) =>
              t === self ? (
                <Tile
                  key={t.id}
                  {...t}
                  participantId={t.id as TileProps['participantId']}
                  size={size}
                />
              ) : (
                tileFor(t, size)
              ),
            )}
          </section>
        )}
        {!main && pages > 1 && (
          <nav className="pager" aria-label="Gallery pages">
            <button
              className="button small secondary"
              disabled={current === 0}
              onClick={() => setPage(current - 1)}
            >
              Previous page
            </button>
            <span>
              Page {current + 1} of {pages}
            </span>
            <button
              className="button small secondary"
              disabled={current >= pages - 1}
              onClick={() => setPage(current + 1)}
            >
              Next page
            </button>
          </nav>
        )}
      </div>
      {(strip.length > 0 || (inStrip && selfView)) && (
        <section className="filmstrip" aria-label="Participants' videos">
          {strip.map((t) => tileFor(t))}
          {inStrip && selfView}
        </section>
      )}
      {!inStrip && selfView}
    </div>
  );
}
