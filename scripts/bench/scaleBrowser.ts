/**
 * The browser side of the scale bench: the real app on the city registry. Not measured yet: it
 * returns no figures, so scale.json carries only the service's until this is filled in.
 */
export interface ScaleBrowserOptions {
  devices: number;
  /** The generated city registry (its `layers/` beside it). */
  registryPath: string;
}

export async function benchScaleBrowser(_opts: ScaleBrowserOptions): Promise<Record<string, number>> {
  return {};
}
