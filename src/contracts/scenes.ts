/** The three operator scenes, in display order. */
export const SCENES = ['confined', 'park', 'roads'] as const;
export type Scene = (typeof SCENES)[number];

export function isScene(value: unknown): value is Scene {
  return typeof value === 'string' && (SCENES as readonly string[]).includes(value);
}

/** Roles and the scenes each one owns (may acknowledge and shelve in). Every role may look at every scene. */
export const ROLES = ['inspector', 'park_manager', 'traffic', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SCENES: Record<Role, readonly Scene[]> = {
  inspector: ['confined'],
  park_manager: ['park'],
  traffic: ['roads'],
  admin: SCENES,
};

export function roleOwnsScene(role: Role, scene: Scene): boolean {
  return ROLE_SCENES[role].includes(scene);
}
