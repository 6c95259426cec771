/**
 * Mounts the deck.gl network panel (src/scene/deck/network.ts) in a small box of the left column;
 * a segment clicked there is selected in the store and the globe flies to it. Without WebGL 2 the
 * box says so instead (deck.gl would fail asynchronously, out of reach of a try).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createNetworkDeck, type NetworkDeck } from '../../../scene/deck/network';
import { twin } from '../../../state/react';
import { useGlobe } from '../../globe';
import { exposeForTests } from '../../testHook';

/** Whether this browser can give deck.gl a WebGL 2 context. */
function webgl2Available(): boolean {
  try {
    return document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

export function NetworkMap() {
  const { t } = useTranslation();
  const [available] = useState(webgl2Available);
  const ref = useRef<HTMLDivElement>(null);
  const globe = useGlobe();
  const globeRef = useRef(globe);
  globeRef.current = globe;
  const deckRef = useRef<NetworkDeck | null>(null);

  // The panel follows the globe's centre (the other way, a click here flies the globe).
  useEffect(() => globe?.onCentreChange((c) => deckRef.current?.centreOn(c.lonDeg, c.latDeg)), [globe]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !available) return;
    let deck: NetworkDeck | null = null;
    try {
      deck = createNetworkDeck(el, {
        twin,
        onSelectSegment: (id) => {
          twin.getState().select({ siteId: id, deviceId: null });
          globeRef.current?.flyToSite(id);
        },
      });
    } catch (e) {
      console.error('network panel failed to start', e);
    }
    exposeForTests({ deck });
    deckRef.current = deck;
    return () => {
      deckRef.current = null;
      deck?.destroy();
      exposeForTests({ deck: null });
    };
  }, [available]);

  return (
    <div ref={ref} className="roads-deck" data-testid="roads-deck">
      {!available && <div className="roads-hint">{t('roadsUi.mapUnavailable')}</div>}
    </div>
  );
}
