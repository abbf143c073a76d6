package dev.backchannel.gateway;

import dev.backchannel.wire.TextFrame;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * Writes an already serialised message to a socket as WebSocket text, split into frames of at most
 * {@code maxFrameBytes} the way Vert.x's {@code writeTextMessage} splits. Unlike that method it
 * neither re-encodes the text nor copies the bytes: a broadcast to 10,000 sockets wraps one array
 * 10,000 times. Vert.x's public API only builds text frames from a String, hence its frame class.
 */
final class TextWrites {

  private TextWrites() {}

  static void write(ServerWebSocket ws, TextFrame message, int maxFrameBytes) {
    byte[] bytes = message.utf8();
    if (bytes.length <= maxFrameBytes) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(bytes), true));
      return;
    }
    for (int offset = 0; offset < bytes.length; offset += maxFrameBytes) {
      int length = Math.min(maxFrameBytes, bytes.length - offset);
      WebSocketFrameType type = offset == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION;
      // Each frame gets a wrapper of its own: Netty releases it once written, the array stays intact.
      ws.writeFrame(new WebSocketFrameImpl(type, Unpooled.wrappedBuffer(bytes, offset, length),
          offset + length == bytes.length));
    }
  }
}
