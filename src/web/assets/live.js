// Live updates: a minimal graphql-ws client (subprotocol
// graphql-transport-ws) for the `nominationChanged` subscription.
//
//   client -> connection_init {Authorization}   server -> connection_ack
//   client -> subscribe (id "nominations")      server -> next ... / complete
//   client -> subscribe (id "ready", a query)   server -> next, complete
//
// The "ready" query is a barrier: the server handles messages in order, so
// once it completes the subscription is registered and the page can say
// "Live". A ping every 25 s keeps idle connections open through proxies.
// When the socket drops the client reconnects with back-off; a 4403 close
// means the token is no longer accepted.

const SUBSCRIPTION = `subscription {
  nominationChanged {
    id status
    nominee { id name }
    nominatedBy { id name }
    targetRole { code title }
    decisionReason
  }
}`;

export class LiveClient {
  /**
   * @param {() => string|null} token  the current token
   * @param {{onEvent: Function, onStatus: Function, onRefused: Function}} handlers
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.socket = null;
    this.retry = 0;
    this.stopped = true;
    this.timer = null;
    this.pinger = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.socket) this.socket.close(1000, 'signed out');
    this.socket = null;
    this.status('off');
  }

  status(state) {
    this.handlers.onStatus(state);
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  connect() {
    const token = this.token();
    if (!token || this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/graphql/ws`, 'graphql-transport-ws');
    this.socket = socket;
    this.status('connecting');
    socket.addEventListener('open', () => {
      this.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } });
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      clearInterval(this.pinger);
      this.socket = null;
      if (this.stopped) return;
      if (event.code === 4403 || event.code === 4401) {
        this.status('off');
        this.handlers.onRefused();
        return;
      }
      this.status('reconnecting');
      const delay = Math.min(30000, 1000 * 2 ** this.retry);
      this.retry += 1;
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    switch (message.type) {
      case 'connection_ack':
        this.retry = 0;
        this.send({ id: 'nominations', type: 'subscribe', payload: { query: SUBSCRIPTION } });
        this.send({ id: 'ready', type: 'subscribe', payload: { query: '{ me { id } }' } });
        clearInterval(this.pinger);
        this.pinger = setInterval(() => this.send({ type: 'ping' }), 25000);
        break;
      case 'ping':
        this.send({ type: 'pong' });
        break;
      case 'next':
        if (message.id === 'nominations') {
          const data = message.payload && message.payload.data;
          if (data && data.nominationChanged) this.handlers.onEvent(data.nominationChanged);
        }
        break;
      case 'complete':
        if (message.id === 'ready') {
          this.status('live');
        } else if (message.id === 'nominations' && this.socket) {
          // The server ended the subscription (token revoked or changed):
          // reconnecting tells us which.
          this.socket.close(1000, 'subscription completed');
        }
        break;
      case 'error':
        console.warn('subscription error', message.payload);
        break;
      default:
        break;
    }
  }
}
