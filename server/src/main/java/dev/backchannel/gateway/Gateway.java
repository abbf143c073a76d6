package dev.backchannel.gateway;

import dev.backchannel.config.Config;
import dev.backchannel.metrics.ServerMetrics;
import dev.backchannel.room.Rooms;
import dev.backchannel.store.Store;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.CommandDecoder;
import java.util.Set;

/**
 * What every gateway instance shares: configuration, codec, token signer and sealer, the sign-in
 * providers, the store and this node's rooms, and the open sockets (for shutdown). All of it is
 * safe to use from any event loop.
 */
record Gateway(
    Config config,
    Codec codec,
    CommandDecoder decoder,
    Tokens tokens,
    Sealer sealer,
    OidcProviders signIn,
    byte[] organizerKeyHash,
    Store store,
    Rooms rooms,
    JoinLimiter joins,
    WrongGuesses wrongGuesses,
    Set<SocketSession> sessions,
    ServerMetrics metrics,
    EventLog log) {}
