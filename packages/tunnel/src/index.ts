export { TunnelErrors } from './errors.js';
export type {
  GunCommand, RequestCommand, DataCommand, CancelCommand, KeepaliveCommand, ShutdownCommand, PingCommand, WsUpgradeCommand,
  WsSendCommand, UpdateFlowCommand, RequestFunction,
} from './commands.js';
export { emptyOutput, streamError } from './layer.js';
export type { Layer, LayerContext, LayerOutput, Delivery, Directive, LayerStreamInfo } from './layer.js';
export { Http1Layer, isUpgradeRequest } from './layers/http1-layer.js';
export type { Http1LayerOptions } from './layers/http1-layer.js';
export { RawLayer } from './layers/raw-layer.js';
export { LayerStack } from './stack.js';
