import type { Site } from '../../contracts';

/**
 * A site's `props.model` is set only by the model routes (api/models.ts): whatever else sends a
 * site (a create, a change, an import) keeps the model stored for it and cannot set one.
 */
export function keepStoredModel(next: Site, stored: Site | undefined): Site {
  const model = stored?.props?.model;
  const { model: _sent, ...props } = next.props ?? {};
  if (!model && _sent === undefined) return next;
  return { ...next, props: model ? { ...props, model } : props };
}
