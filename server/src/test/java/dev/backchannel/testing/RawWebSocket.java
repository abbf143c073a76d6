package dev.backchannel.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client written by hand over a plain TCP socket, for what a well-behaved library will
 * not do: stop reading altogether, or send frames that break the protocol (unmasked, reserved
 * opcodes, fragmented control frames, oversize lengths).
 */
public final class RawWebSocket implements AutoCloseable {

  /** A frame as it came off the wire. */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  public static final int TEXT = 0x1;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and upgrades; {@code receiveBuffer} > 0 shrinks the kernel's receive buffer first. */
  public static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    socket.setSoTimeout(10_000);
    RawWebSocket ws = new RawWebSocket(socket);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String status = ws.readHeaders();
    if (!status.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + status);
    }
    return ws;
  }

  /** Sends one masked text frame, as a client must. */
  public void sendText(String text) throws IOException {
    sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Sends any frame, masked or not. */
  public void sendFrame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] mask = new byte[4];
      RANDOM.nextBytes(mask);
      frame.write(mask, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= mask[i % 4];
      }
    }
    frame.write(body, 0, body.length);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Writes bytes as they are, e.g. a header that announces more than will ever come. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null when the connection ended. */
  public Frame readFrame() throws IOException {
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
    } catch (EOFException | java.net.SocketException e) {
      return null;
    }
  }

  /** The next whole text message (fragments joined), or a close frame, or null at the end. */
  public Frame readMessage() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      Frame f = readFrame();
      if (f == null || f.opcode() == CLOSE) {
        return f;
      }
      if (f.opcode() == PING) {
        continue;
      }
      message.write(f.payload(), 0, f.payload().length);
      if (f.fin()) {
        return new Frame(true, TEXT, message.toByteArray());
      }
    }
  }

  /** Reads until the server closes: its close code, or 1006 when the connection just ended. */
  public int awaitClose() throws IOException {
    while (true) {
      Frame f;
      try {
        f = readFrame();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not close the connection", e);
      }
      if (f == null) {
        return 1006;
      }
      if (f.opcode() == CLOSE) {
        return f.closeCode();
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String readHeaders() throws IOException {
    InputStream raw = in;
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = raw.read();
      if (c < 0) {
        throw new EOFException("connection closed during the upgrade");
      }
      head.append((char) c);
    }
    return head.substring(0, head.indexOf("\r\n"));
  }
}
