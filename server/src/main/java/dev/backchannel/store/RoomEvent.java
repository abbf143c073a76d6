package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.util.List;
import java.util.Map;

/**
 * One applied change of a room: its {@code seq} and the new state of every post it touched.
 *
 * @param posts posts created or changed by this change (hidden ones with their text)
 * @param closed whether this change closed the room
 * @param banned the participants this change banned (one, or a whole network's), usually none
 * @param rating the rating this change gave, or null (for the pulse: rates per minute, mood)
 * @param described the room's public fields this change set ({@code title}, {@code language},
 *     {@code access}, {@code status} when it reopened), usually none
 * @param revoked the staff roles whose keys this change replaced, usually none
 * @param deleted whether this change deleted the room (its last event)
 */
public record RoomEvent(String room, long seq, List<Post> posts, boolean closed, List<String> banned,
    RatingGiven rating, Map<String, String> described, List<String> revoked, boolean deleted) {

  /** A rating value and the weight (fixed-point units) it was given with. */
  public record RatingGiven(int value, long weightUnits) {}

  public static RoomEvent posts(String room, long seq, List<Post> posts, RatingGiven rating) {
    return new RoomEvent(room, seq, posts, false, List.of(), rating, Map.of(), List.of(), false);
  }

  /** A change of the room's public description. */
  public static RoomEvent described(String room, long seq, Map<String, String> changed) {
    return new RoomEvent(room, seq, List.of(), false, List.of(), null, Map.copyOf(changed), List.of(), false);
  }

  /** Staff keys replaced. */
  public static RoomEvent revoked(String room, long seq, List<String> roles) {
    return new RoomEvent(room, seq, List.of(), false, List.of(), null, Map.of(), List.copyOf(roles), false);
  }

  /** The room deleted. */
  public static RoomEvent deleted(String room, long seq) {
    return new RoomEvent(room, seq, List.of(), false, List.of(), null, Map.of(), List.of(), true);
  }
}
