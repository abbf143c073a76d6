package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.time.Instant;
import java.util.List;

/** Everything a moderator downloads of a room. */
public record RoomExport(RoomInfo room, List<Post> posts, List<ExportedRating> ratings, List<Participant> participants) {

  /** One current rating: who rated which post, with what value and weight, when. */
  public record ExportedRating(String post, String participant, int value, double weight, Instant at) {}
}
