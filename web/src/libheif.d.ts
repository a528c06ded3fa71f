// libheif-js's WebAssembly loader (Emscripten, CommonJS): a factory taking the module's options.
declare module 'libheif-js/libheif-wasm/libheif.js' {
  const factory: (options?: { wasmBinary?: ArrayBuffer; locateFile?: (file: string) => string }) => unknown;
  export default factory;
}
