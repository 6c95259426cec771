/**
 * The only globals the shared layers (src/domain, src/contracts) may use beyond ECMAScript, for
 * tsconfig.domain.json, which has neither the DOM lib nor Node's types: the WHATWG Encoding API,
 * a global in browsers and in Node alike.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
