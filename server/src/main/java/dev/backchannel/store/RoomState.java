package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.util.List;

/** A consistent picture of a room at {@code seq}: every post, hidden ones included, oldest first. */
public record RoomState(RoomInfo room, long seq, List<Post> posts) {}
