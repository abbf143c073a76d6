package dev.backchannel.store;

/**
 * Where a store engine delivers the changes it applied: the node registers itself here. The memory
 * engine calls it synchronously, a distributed engine from its wake-ups; either way on the room's
 * owner loop and in seq order per room.
 */
@FunctionalInterface
public interface RoomEvents {
  void onEvent(RoomEvent event);
}
