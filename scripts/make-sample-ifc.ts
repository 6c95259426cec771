/**
 * `npx tsx scripts/make-sample-ifc.ts out.ifc`: writes a small IFC4 file with web-ifc — a sewage
 * pit (IfcTank BASIN, a hollow rectangle extruded 3 m down into the ground), a pump-house floor
 * (IfcSlab) and two pump-house walls (IfcWall) — for the import tests and for trying
 * `npm run import:ifc`. Metres, +X east, +Y north, +Z up, origin at the pit's centre. GlobalIds
 * are derived from element names, so the same file comes out every time (but for its header time).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IFC4, IfcAPI } from 'web-ifc';
import { ifcGlobalId } from './models/gltf';

/** The elements of the sample, for tests: name → [IFC type, GlobalId]. */
export const SAMPLE_ELEMENTS = {
  'Sample sewage pit': ['IfcTank', ifcGlobalId('sample/pit')],
  'Pump house floor': ['IfcSlab', ifcGlobalId('sample/floor')],
  'Pump house wall north': ['IfcWall', ifcGlobalId('sample/wall-n')],
  'Pump house wall east': ['IfcWall', ifcGlobalId('sample/wall-e')],
} as const;

type Name = keyof typeof SAMPLE_ELEMENTS;

/** The sample IFC file's bytes. */
export async function makeSampleIfc(): Promise<Uint8Array> {
  const api = new IfcAPI();
  await api.Init();
  const model = api.CreateModel({ schema: 'IFC4', name: 'CityTwin sample pit', description: ['ViewDefinition [ReferenceView]'], authors: ['CityTwin'], organizations: ['CityTwin'] });
  const len = (v: number) => new IFC4.IfcLengthMeasure(v);
  const pos = (v: number) => new IFC4.IfcPositiveLengthMeasure(v);
  const point = (x: number, y: number, z: number) => new IFC4.IfcCartesianPoint([len(x), len(y), len(z)]);
  const dir = (x: number, y: number, z: number) => new IFC4.IfcDirection([new IFC4.IfcReal(x), new IFC4.IfcReal(y), new IFC4.IfcReal(z)]);
  const label = (s: string) => new IFC4.IfcLabel(s);
  const gid = (key: string) => new IFC4.IfcGloballyUniqueId(ifcGlobalId(key));
  const origin = () => new IFC4.IfcAxis2Placement3D(point(0, 0, 0), null, null);

  const context = new IFC4.IfcGeometricRepresentationContext(label('Body'), label('Model'), new IFC4.IfcDimensionCount(3), new IFC4.IfcReal(1e-5), origin(), dir(0, 1, 0));
  const units = new IFC4.IfcUnitAssignment([new IFC4.IfcSIUnit(IFC4.IfcUnitEnum.LENGTHUNIT, null, IFC4.IfcSIUnitName.METRE)]);
  const project = new IFC4.IfcProject(gid('sample/project'), null, label('CityTwin sample'), null, null, null, null, [context], units);
  const sitePlacement = new IFC4.IfcLocalPlacement(null, origin());
  const site = new IFC4.IfcSite(gid('sample/site'), null, label('Sample wastewater yard'), null, null, sitePlacement, null, null, IFC4.IfcElementCompositionEnum.ELEMENT, null, null, null, null, null);
  const building = new IFC4.IfcBuilding(gid('sample/building'), null, label('Pump house'), null, null, new IFC4.IfcLocalPlacement(sitePlacement, origin()), null, null, IFC4.IfcElementCompositionEnum.ELEMENT, null, null, null);
  const storey = new IFC4.IfcBuildingStorey(gid('sample/storey'), null, label('Ground'), null, null, new IFC4.IfcLocalPlacement(sitePlacement, origin()), null, null, IFC4.IfcElementCompositionEnum.ELEMENT, len(0));

  /** A profile extruded `depthM` up (+Z) from (x, y, z), turned `angleDeg` about Z. */
  const body = (profile: IFC4.IfcProfileDef, x: number, y: number, z: number, depthM: number, angleDeg = 0) => {
    const a = (angleDeg * Math.PI) / 180;
    const place = new IFC4.IfcAxis2Placement3D(point(x, y, z), dir(0, 0, 1), dir(Math.cos(a), Math.sin(a), 0));
    const solid = new IFC4.IfcExtrudedAreaSolid(profile, place, dir(0, 0, 1), pos(depthM));
    return new IFC4.IfcProductDefinitionShape(null, null, [new IFC4.IfcShapeRepresentation(context, label('Body'), label('SweptSolid'), [solid])]);
  };
  // Position is optional in IFC4, but web-ifc's geometry reader wants one.
  const centre = () => new IFC4.IfcAxis2Placement2D(new IFC4.IfcCartesianPoint([len(0), len(0)]), null);
  const rect = (w: number, d: number) => new IFC4.IfcRectangleProfileDef(IFC4.IfcProfileTypeEnum.AREA, null, centre(), pos(w), pos(d));
  const placement = () => new IFC4.IfcLocalPlacement(sitePlacement, origin());
  const args = (name: Name) => [new IFC4.IfcGloballyUniqueId(SAMPLE_ELEMENTS[name][1]), null, label(name), null, null, placement()] as const;

  // The pit: 6 × 4 m outside, 0.3 m walls, from 3 m below ground to a 0.5 m upstand.
  const pitProfile = new IFC4.IfcRectangleHollowProfileDef(IFC4.IfcProfileTypeEnum.AREA, null, centre(), pos(6), pos(4), pos(0.3), null, null);
  const pit = new IFC4.IfcTank(...args('Sample sewage pit'), body(pitProfile, 0, 0, -3, 3.5), new IFC4.IfcIdentifier('pit-1'), IFC4.IfcTankTypeEnum.BASIN);
  // The pump house east of it: an 8 × 6 m floor and two 3 m walls along its north and east sides.
  const floor = new IFC4.IfcSlab(...args('Pump house floor'), body(rect(8, 6), 9, 0, -0.2, 0.2), null, IFC4.IfcSlabTypeEnum.FLOOR);
  const wallN = new IFC4.IfcWall(...args('Pump house wall north'), body(rect(8, 0.24), 9, 2.88, 0, 3), null, IFC4.IfcWallTypeEnum.SOLIDWALL);
  const wallE = new IFC4.IfcWall(...args('Pump house wall east'), body(rect(6, 0.24), 12.88, 0, 0, 3, 90), null, IFC4.IfcWallTypeEnum.SOLIDWALL);

  for (const line of [project, site, building, storey, pit, floor, wallN, wallE]) api.WriteLine(model, line);
  api.WriteLine(model, new IFC4.IfcRelAggregates(gid('sample/rel-project'), null, null, null, project, [site]));
  api.WriteLine(model, new IFC4.IfcRelAggregates(gid('sample/rel-site'), null, null, null, site, [building]));
  api.WriteLine(model, new IFC4.IfcRelAggregates(gid('sample/rel-building'), null, null, null, building, [storey]));
  api.WriteLine(model, new IFC4.IfcRelContainedInSpatialStructure(gid('sample/rel-site-elements'), null, null, null, [pit], site));
  api.WriteLine(model, new IFC4.IfcRelContainedInSpatialStructure(gid('sample/rel-storey-elements'), null, null, null, [floor, wallN, wallE], storey));
  const bytes = api.SaveModel(model);
  api.CloseModel(model);
  return bytes;
}

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx scripts/make-sample-ifc.ts <out.ifc>');
    process.exit(2);
  }
  writeFileSync(resolve(out), await makeSampleIfc());
  console.log(`wrote ${out}: ${Object.keys(SAMPLE_ELEMENTS).join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
