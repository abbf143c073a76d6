package dev.backchannel.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.backchannel.model.TwoDecimals;
import java.util.List;

/**
 * "Why is this post here?" for staff: the ingredients of a post's score (DESIGN.md, both rules).
 * Weights are in newcomers (a newcomer's rating weighs 1).
 *
 * @param weight {@code T0}: the weight the ratings count with after caps and holds
 * @param rawWeight {@code S0}: their weight before
 * @param prior the author's prior {@code m0}, weighing {@code priorWeight}
 * @param newcomers ratings given with weight 1 (no karma yet)
 * @param established ratings given with more (good karma)
 * @param doubted ratings given with less (bad karma)
 * @param networks how many networks rated the post
 * @param special the networks the rule capped, tested or a moderator decided about
 * @param scoreWithoutHeldOrCapped the score counting no capped or held network at all
 * @param cap {@code C}: the most weight one network adds to a post, in newcomers
 * @param holdZ how far (in standard errors) a network's mean may be from the room's before it is held
 */
public record PostWhy(
    String post,
    @JsonSerialize(using = TwoDecimals.class) double score,
    @JsonSerialize(using = TwoDecimals.class) double divergence,
    int ratings,
    @JsonSerialize(using = TwoDecimals.class) double weight,
    @JsonSerialize(using = TwoDecimals.class) double rawWeight,
    @JsonSerialize(using = TwoDecimals.class) double prior,
    @JsonSerialize(using = TwoDecimals.class) double priorWeight,
    Share newcomers,
    Share established,
    Share doubted,
    int networks,
    List<NetworkShare> special,
    @JsonSerialize(using = TwoDecimals.class) double scoreWithoutHeldOrCapped,
    @JsonSerialize(using = TwoDecimals.class) double divergenceWithoutHeldOrCapped,
    double cap,
    double holdZ) {

  /** Some of a post's ratings: how many, and their weight. */
  public record Share(int ratings, @JsonSerialize(using = TwoDecimals.class) double weight) {}

  /**
   * One special network of the post.
   *
   * @param weight its raters' weight
   * @param counted the weight it counts with: capped to {@code C}, times its hold factor
   */
  public record NetworkShare(
      String network,
      String family,
      int raters,
      @JsonSerialize(using = TwoDecimals.class) double weight,
      @JsonSerialize(using = TwoDecimals.class) double counted,
      boolean capped,
      @JsonSerialize(using = TwoDecimals.class) double hold,
      @JsonInclude(JsonInclude.Include.ALWAYS) String decision,
      boolean venue) {}
}
