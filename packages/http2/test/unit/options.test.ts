import { Http2ClientConnection } from '../../src/index.js';

describe('Http2ClientConnection options', () => {
  it.each([
    ['initialConnectionWindowSize', 65534], ['initialConnectionWindowSize', 2 ** 31], ['initialStreamWindowSize', -1],
    ['maxFrameSizeReceived', 16383], ['maxFrameSizeReceived', 16777216], ['maxFragmentedHeaderBlockSize', 16383], ['maxConcurrentStreams', 1.5],
  ])('rejects %s = %p with H2_ERR_BAD_ARGUMENT', (name, value) => {
    expect(() => new Http2ClientConnection({ [name]: value })).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_ARGUMENT', origin: 'local' }));
  });

  it.each([
    ['initialConnectionWindowSize', 65535], ['initialConnectionWindowSize', 2 ** 31 - 1], ['maxFrameSizeReceived', 16777215], ['maxConcurrentStreams', Infinity],
  ])('accepts %s = %p', (name, value) => {
    expect(() => new Http2ClientConnection({ [name]: value })).not.toThrow();
  });
});
