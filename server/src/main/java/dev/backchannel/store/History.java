package dev.backchannel.store;

import java.util.List;

/**
 * What a store still holds after a client's {@code since}.
 *
 * @param resumed true when {@code events} are every change after {@code since}
 * @param seq the room's seq when the history was read
 */
public record History(boolean resumed, long seq, List<RoomEvent> events) {}
