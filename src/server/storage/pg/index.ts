export class PgStorage { static open(_u: string, _o: unknown): never { throw new Error('x'); } }
