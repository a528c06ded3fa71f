// The pipeline keeps pixels and files in Buffers (a Uint8Array with a few helpers); the page gets the
// `buffer` package's, injected by the bundler wherever the global is named.
export { Buffer } from 'buffer';
