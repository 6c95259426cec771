/**
 * Where a site or device is: typed WGS84 coordinates, or clicked on the globe ("Pick on globe":
 * the drawer steps aside until the point is set or the outline finished). The shape is shown on the
 * globe while the form is open. Coordinates that miss the reference site (the device's site, the
 * site's parent) by a few hundred metres while their GCJ-02→WGS84 conversion hits it are flagged
 * as copied from a Chinese web map, with a one-click conversion.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry } from '../../../contracts';
import { checkDatum, gcj02ToWgs84 } from '../../../domain/gcj02';
import type { DrawMode } from '../../../scene/cesium';
import { useGlobe } from '../../globe';
import { adminUi, useAdminUi } from '../state';
import { parsePoints, pointsText, samePoints, validLonLat, type Pt } from './shape';

export interface PlaceFieldProps {
  mode: DrawMode;
  points: Pt[];
  onChange(points: Pt[]): void;
  /** The known-good site the place should sit in or near (its geometry and name); null when none. */
  reference: { id: string; geometry: Geometry; name: string } | null;
}

export function PlaceField({ mode, points, onChange, reference }: PlaceFieldProps) {
  const { t } = useTranslation();
  const globe = useGlobe();
  const draw = globe?.draw ?? null;
  // Clicks taken for a site model's origin are not this field's.
  const picking = useAdminUi((s) => (s.pickFor === 'shape' ? s.picking : null));
  const [lon, setLon] = useState(points[0] ? String(points[0][0]) : '');
  const [lat, setLat] = useState(points[0] ? String(points[0][1]) : '');
  const [text, setText] = useState(pointsText(points));

  // Points set from outside (a click, a conversion): the inputs follow unless they already say so.
  useEffect(() => {
    const p = points[0];
    if (mode === 'point') {
      if (!p) return;
      if (Number(lon) !== p[0] || lon.trim() === '') setLon(p[0].toFixed(6));
      if (Number(lat) !== p[1] || lat.trim() === '') setLat(p[1].toFixed(6));
    } else if (!samePoints(parsePoints(text), points)) setText(pointsText(points));
    // Only a change of the points themselves moves the inputs.
  }, [points, mode]);

  // Clicks on the globe while picking: a set point or a finished outline comes back here.
  useEffect(() => {
    if (!draw || picking !== mode) return;
    return draw.subscribe(() => {
      const s = draw.getState();
      if (!s.done || s.points.length === 0) return;
      onChange(s.points);
      adminUi.getState().set({ picking: null });
    });
  }, [draw, picking, mode, onChange]);

  // The shape on the globe while the form is open (not while the globe is taking clicks).
  useEffect(() => {
    if (draw && picking === null) draw.show(mode, points);
  }, [draw, picking, mode, points]);
  useEffect(() => () => {
    draw?.stop();
    adminUi.getState().set({ picking: null });
  }, [draw]);

  const typePoint = (nextLon: string, nextLat: string) => {
    setLon(nextLon);
    setLat(nextLat);
    const [x, y] = [Number(nextLon), Number(nextLat)];
    onChange(nextLon.trim() && nextLat.trim() && validLonLat(x, y) ? [[x, y]] : []);
  };
  const typeText = (next: string) => {
    setText(next);
    const pts = parsePoints(next);
    if (pts) onChange(pts);
  };
  const pick = () => {
    if (!draw) return;
    // Clicking needs the place on screen: the shape so far, else the reference site.
    if (points.length > 0) draw.show(mode, points, true);
    else if (reference) globe?.flyToSite(reference.id);
    draw.start(mode, mode === 'point' ? [] : points);
    adminUi.getState().set({ picking: mode, pickFor: 'shape' });
  };
  const convert = () => onChange(points.map((p) => gcj02ToWgs84(p)));

  const datum = points[0] && reference ? checkDatum(points[0], reference.geometry) : null;
  const badText = mode !== 'point' && parsePoints(text) === null;
  const badPoint = mode === 'point' && (lon.trim() !== '' || lat.trim() !== '') && points.length === 0;
  return (
    <fieldset className="place-field" data-testid="place-field" data-mode={mode}>
      <legend>{t(`adminUi.registry.place.${mode}`)}</legend>
      {mode === 'point' ? (
        <div className="place-coords">
          <label>
            {t('adminUi.registry.place.lon')}
            <input inputMode="decimal" data-testid="place-lon" value={lon} onChange={(e) => typePoint(e.target.value, lat)} />
          </label>
          <label>
            {t('adminUi.registry.place.lat')}
            <input inputMode="decimal" data-testid="place-lat" value={lat} onChange={(e) => typePoint(lon, e.target.value)} />
          </label>
        </div>
      ) : (
        <label className="place-text">
          {t('adminUi.registry.place.vertices', { n: points.length })}
          <textarea rows={4} data-testid="place-text" value={text} placeholder="120.700000, 30.210000" onChange={(e) => typeText(e.target.value)} />
        </label>
      )}
      {(badText || badPoint) && <p className="field-error">{t('adminUi.registry.place.bad')}</p>}
      <div className="place-actions">
        <button type="button" className="ghost" data-testid="place-pick" disabled={!draw} title={draw ? undefined : t('adminUi.registry.place.noGlobe')} onClick={pick}>
          {t(mode === 'point' ? 'adminUi.registry.place.pick' : 'adminUi.registry.place.draw')}
        </button>
        <button type="button" className="ghost" data-testid="place-convert" disabled={points.length === 0} onClick={convert}>
          {t('adminUi.registry.place.convert')}
        </button>
        <span className="muted place-datum">{t('adminUi.registry.place.wgs84')}</span>
      </div>
      {datum?.looksGcj02 && reference && (
        <div className="admin-note warn" role="alert" data-testid="place-gcj-warning">
          {t('adminUi.registry.place.gcjWarning', {
            site: reference.name,
            asTyped: Math.round(datum.asTypedM),
            converted: Math.round(datum.ifConvertedM),
            shift: Math.round(datum.shiftM),
          })}{' '}
          <button type="button" className="ghost" onClick={convert}>
            {t('adminUi.registry.place.convert')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
