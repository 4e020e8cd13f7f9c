export { TunnelErrors } from './errors.js';
export type {
  GunCommand, RequestCommand, DataCommand, CancelCommand, KeepaliveCommand, ShutdownCommand, PingCommand, WsUpgradeCommand,
  WsSendCommand, UpdateFlowCommand, ConnectCommand, RequestFunction,
} from './commands.js';
export { connectAuthority } from './destination.js';
export type { Destination, SocksDestination } from './destination.js';
export { ALL_EVENTS, NO_EVENTS, appendOutput, emptyOutput, refuse, streamError } from './layer.js';
export type { EventObserver, Layer, LayerContext, LayerOutput, Delivery, Directive, TunnelDirective, TunnelDirectiveBase, StreamTunnelDirective, LayerStreamInfo } from './layer.js';
export { Http1Layer } from './layers/http1-layer.js';
export { isUpgradeRequest } from './layers/http1-upgrade.js';
export { notATunnelError } from './layers/http1-connect.js';
export type { Http1LayerOptions } from './layers/http1-layer.js';
export { RawLayer } from './layers/raw-layer.js';
export type { RawLayerOptions } from './layers/raw-layer.js';
export { SocksLayer } from './layers/socks-layer.js';
export type { SocksLayerOptions, SocksLayerState } from './layers/socks-layer.js';
export { LayerStack } from './stack.js';
export { WsLayer, gunWsHandler } from './layers/ws-layer.js';
export type { WsLayerOptions, WsProtocolHandler, WsHandlerFrame, WsHandlerOptions, WsHandlerResult } from './layers/ws-layer.js';
export { WsHandshakeErrors, validateUpgradeResponse } from './layers/ws-handshake.js';
export type { WsOffer, UpgradeValidation } from './layers/ws-handshake.js';
export type { WsPlatform, WsUpgradeOptions } from './layers/ws-upgrade.js';
export { Http2Layer } from './layers/http2-layer.js';
export type { Http2LayerOptions } from './layers/http2-layer.js';
export { TUNNEL_FLOW } from './layers/http2-connect-streams.js';
