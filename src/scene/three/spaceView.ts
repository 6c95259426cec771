/**
 * The space view: a three.js cut-away of one confined space (pit, sump, sludge tank, duct) seen from
 * the side, with its detectors at upper / middle / lower level coloured by their live state, a gas
 * fill per layer whose density follows H₂S (heavier than air, it pools low), the people inside, the
 * ventilation fan and the attendant at the opening.
 *
 * A render adapter: view model in (`update`), three.js objects out, no rules. It renders on demand
 * only — once per `update` or resize — because software WebGL here manages a few frames a second.
 */
import * as THREE from 'three';
import type { GasLevel } from '../../contracts';
import { ACCENT_CSS, HEALTH_CSS, NODATA_CSS, NORMAL_CSS, SEVERITY_CSS, STALE_CSS, cssToHex, type Health, type SpaceViewModel } from '../../view';

export interface SpaceView {
  update(model: SpaceViewModel): void;
  /** Frames rendered so far (tests: it renders on demand, not in a loop). */
  frames(): number;
  destroy(): void;
}

/** Each level in the colour the panels and the globe give its state. */
const HEALTH_HEX = Object.fromEntries(Object.entries(HEALTH_CSS).map(([k, css]) => [k, cssToHex(css)])) as Record<Health, number>;

/** H₂S that fills a layer's tint fully, ppm: the critical alarm level (≥ 14 ppm, 20 mg/m³). */
const H2S_FULL_PPM = 14;
const WIDTH_M = 6;
const LEVELS: GasLevel[] = ['upper', 'middle', 'lower'];

export function createSpaceView(container: HTMLElement): SpaceView {
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true, alpha: false });
  renderer.setPixelRatio(1);
  renderer.setClearColor(0x0a1222);
  container.appendChild(renderer.domElement);

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(35, 1, 0.1, 200);
  scene.add(new THREE.AmbientLight(0xffffff, 0.7));
  const sun = new THREE.DirectionalLight(0xffffff, 1.4);
  sun.position.set(4, 10, 8);
  scene.add(sun);

  let root = new THREE.Group();
  scene.add(root);
  let frames = 0;
  const disposables: { dispose(): void }[] = [];

  const render = () => {
    const w = Math.max(1, container.clientWidth);
    const h = Math.max(1, container.clientHeight);
    renderer.setSize(w, h, false);
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
    renderer.render(scene, camera);
    frames++;
  };

  const mat = (color: number, opts: Partial<THREE.MeshStandardMaterialParameters> = {}) => {
    const m = new THREE.MeshStandardMaterial({ color, roughness: 0.85, ...opts });
    disposables.push(m);
    return m;
  };
  const geo = <G extends THREE.BufferGeometry>(g: G): G => {
    disposables.push(g);
    return g;
  };
  const box = (w: number, h: number, d: number, m: THREE.Material, x: number, y: number, z: number) => {
    const mesh = new THREE.Mesh(geo(new THREE.BoxGeometry(w, h, d)), m);
    mesh.position.set(x, y, z);
    root.add(mesh);
    return mesh;
  };
  /** A simple standing figure: body and head, ~1.7 m. */
  const figure = (x: number, y: number, z: number, color: number) => {
    const m = mat(color);
    const body = new THREE.Mesh(geo(new THREE.CylinderGeometry(0.22, 0.26, 1.2, 10)), m);
    body.position.set(x, y + 0.6, z);
    const head = new THREE.Mesh(geo(new THREE.SphereGeometry(0.2, 12, 8)), mat(0xffd7b0));
    head.position.set(x, y + 1.45, z);
    const helmet = new THREE.Mesh(geo(new THREE.SphereGeometry(0.23, 12, 6, 0, Math.PI * 2, 0, Math.PI / 2)), mat(cssToHex(SEVERITY_CSS.minor)));
    helmet.position.set(x, y + 1.5, z);
    root.add(body, head, helmet);
  };

  function build(vm: SpaceViewModel) {
    for (const d of disposables.splice(0)) d.dispose();
    scene.remove(root);
    root = new THREE.Group();
    scene.add(root);

    const depth = Math.max(1.5, vm.depthM);
    const round = vm.spaceType === 'sludge tank';
    const wallM = mat(0x6b7a94);
    const groundM = mat(0x3a4660);

    // Ground on both sides of the opening, cut at the front to show the section.
    box(4, 0.3, 4, groundM, -WIDTH_M / 2 - 2, -0.15, 0);
    box(4, 0.3, 4, groundM, WIDTH_M / 2 + 2, -0.15, 0);
    // The pit: back wall, side walls, floor; the front is cut away.
    if (round) {
      const shell = new THREE.Mesh(
        geo(new THREE.CylinderGeometry(WIDTH_M / 2, WIDTH_M / 2, depth, 32, 1, true, Math.PI / 2, Math.PI)),
        mat(0x6b7a94, { side: THREE.DoubleSide }),
      );
      shell.position.set(0, -depth / 2, 0);
      root.add(shell);
    } else {
      box(WIDTH_M + 0.6, depth, 0.3, wallM, 0, -depth / 2, -1.5);
      box(0.3, depth, 3, wallM, -WIDTH_M / 2 - 0.15, -depth / 2, 0);
      box(0.3, depth, 3, wallM, WIDTH_M / 2 + 0.15, -depth / 2, 0);
    }
    box(WIDTH_M + 0.6, 0.3, 3, mat(0x4b5568), 0, -depth - 0.15, 0);

    // Gas layers: a third of the depth each, tinted by the level's state; denser with more H₂S.
    const layerH = depth / 3;
    LEVELS.forEach((level, i) => {
      const l = vm.levels[level];
      const h2s = Math.max(0, l.h2sPpm ?? 0);
      const density = Math.min(1, h2s / H2S_FULL_PPM);
      const opacity = 0.12 + 0.55 * density + (l.health === 'normal' ? 0 : 0.1);
      const m = mat(HEALTH_HEX[l.health], { transparent: true, opacity, depthWrite: false, emissive: HEALTH_HEX[l.health], emissiveIntensity: 0.35 });
      const layer = box(WIDTH_M - 0.05, layerH - 0.05, 2.9, m, 0, -layerH * (i + 0.5), 0);
      layer.renderOrder = 1;
      // The detector on the back wall: a bright disc with a dark rim.
      const det = new THREE.Mesh(geo(new THREE.SphereGeometry(0.28, 16, 12)), mat(HEALTH_HEX[l.health], { emissive: HEALTH_HEX[l.health], emissiveIntensity: 0.8 }));
      det.position.set(-WIDTH_M / 2 + 0.6, -layerH * (i + 0.5), -1.2);
      root.add(det);
    });

    // People inside, standing on the floor.
    const n = Math.min(vm.inside, 6);
    for (let i = 0; i < n; i++) figure(-1.6 + i * 1.0, -depth, 0.2, cssToHex(ACCENT_CSS));
    // Attendant at the opening, on the ground.
    if (vm.attendant) figure(WIDTH_M / 2 + 1.2, 0, 0.6, cssToHex(SEVERITY_CSS.major));
    // Ventilation fan at the opening: a drum with a duct going down; green running, grey off.
    const fanHex = cssToHex(vm.ventilationOn === true ? NORMAL_CSS : vm.ventilationOn === false ? STALE_CSS : NODATA_CSS);
    const fan = new THREE.Mesh(geo(new THREE.CylinderGeometry(0.45, 0.45, 0.5, 20)), mat(fanHex, { emissive: fanHex, emissiveIntensity: 0.3 }));
    fan.rotation.z = Math.PI / 2;
    fan.position.set(-WIDTH_M / 2 - 1.4, 0.45, 0.4);
    root.add(fan);
    if (vm.ventilationOn) {
      const duct = new THREE.Mesh(geo(new THREE.CylinderGeometry(0.15, 0.15, depth * 0.8, 10)), mat(cssToHex(NORMAL_CSS)));
      duct.position.set(-WIDTH_M / 2 + 0.4, -depth * 0.4 + 0.3, 0.8);
      root.add(duct);
    }

    // Frame the section: the whole depth plus the ground around the opening.
    // Section width ~ WIDTH_M + fan and attendant (~12 m) and height depth + 2 m must fit the view.
    const cy = -depth / 2 + 0.8;
    const halfFovRad = (camera.fov / 2) * (Math.PI / 180);
    const fitH = (depth + 3) / 2 / Math.tan(halfFovRad);
    const fitW = 10.5 / 2 / Math.tan(halfFovRad) / Math.max(0.5, camera.aspect);
    const dist = Math.max(fitH, fitW) + 2;
    camera.position.set(0.5, cy + dist * 0.18, dist);
    camera.lookAt(0, cy, 0);
  }

  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => render()) : null;
  ro?.observe(container);

  return {
    update(vm) {
      camera.aspect = Math.max(1, container.clientWidth) / Math.max(1, container.clientHeight);
      build(vm);
      render();
    },
    frames: () => frames,
    destroy() {
      ro?.disconnect();
      for (const d of disposables.splice(0)) d.dispose();
      renderer.dispose();
      renderer.domElement.remove();
    },
  };
}
