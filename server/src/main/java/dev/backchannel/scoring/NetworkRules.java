package dev.backchannel.scoring;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The constants of v2's network rule (DESIGN.md "v2: one network cannot outvote the room"), with
 * the documented defaults.
 *
 * @param enabled false scores as v1 (every network counts in full, nothing is held): for comparison
 * @param cap {@code C}: the most weight one network adds to a post
 * @param holdMinRatings a network is tested once it has this many ratings on a post
 * @param referenceMinWeight below this raw weight of small networks, the capped sums of all other
 *     networks are the reference instead
 * @param holdZ a network whose mean is more than this many standard errors from the reference is held
 * @param varianceFloor the least variance assumed on either side of the test
 * @param holdFullDelta a held network keeps {@code clamp((holdFullDelta − Δ)/holdFadeDelta, 0, 1)}
 * @param venueFactor a venue network is tested only with more than this many times its average
 *     ratings per post
 * @param sweepSeconds how often a room's held and large networks are re-tested at most
 * @param ipv4Prefix bits of an IPv4 address that make its network
 * @param ipv6Prefix bits of an IPv6 address that make its network
 */
public record NetworkRules(
    boolean enabled,
    double cap,
    int holdMinRatings,
    double referenceMinWeight,
    double holdZ,
    double varianceFloor,
    double holdFullDelta,
    double holdFadeDelta,
    double venueFactor,
    int sweepSeconds,
    int ipv4Prefix,
    int ipv6Prefix) {

  public NetworkRules {
    if (cap <= 0 || holdMinRatings < 1 || holdFadeDelta <= 0 || sweepSeconds < 1
        || ipv4Prefix < 8 || ipv4Prefix > 32 || ipv6Prefix < 16 || ipv6Prefix > 128) {
      throw new IllegalArgumentException("networks: cap and holdFadeDelta must be positive, holdMinRatings and "
          + "sweepSeconds at least 1, ipv4Prefix 8..32, ipv6Prefix 16..128");
    }
  }

  /**
   * The constants as the configuration file writes them (under {@code scoring.networks}); whether
   * the rule is on is the top-level {@code networkWeighting}, so that a flag can switch it.
   */
  @JsonCreator
  static NetworkRules configured(@JsonProperty("cap") double cap, @JsonProperty("holdMinRatings") int holdMinRatings,
      @JsonProperty("referenceMinWeight") double referenceMinWeight, @JsonProperty("holdZ") double holdZ,
      @JsonProperty("varianceFloor") double varianceFloor, @JsonProperty("holdFullDelta") double holdFullDelta,
      @JsonProperty("holdFadeDelta") double holdFadeDelta, @JsonProperty("venueFactor") double venueFactor,
      @JsonProperty("sweepSeconds") int sweepSeconds, @JsonProperty("ipv4Prefix") int ipv4Prefix,
      @JsonProperty("ipv6Prefix") int ipv6Prefix) {
    return new NetworkRules(true, cap, holdMinRatings, referenceMinWeight, holdZ, varianceFloor, holdFullDelta,
        holdFadeDelta, venueFactor, sweepSeconds, ipv4Prefix, ipv6Prefix);
  }

  public static NetworkRules defaults() {
    return new NetworkRules(true, 12, 4, 5, 3, 4, 2.5, 1.5, 3, 5, 24, 48);
  }

  /** The same constants with the rule switched on or off. */
  public NetworkRules enabled(boolean on) {
    return new NetworkRules(on, cap, holdMinRatings, referenceMinWeight, holdZ, varianceFloor, holdFullDelta,
        holdFadeDelta, venueFactor, sweepSeconds, ipv4Prefix, ipv6Prefix);
  }

  /** {@code C} in fixed-point units. */
  public long capUnits() {
    return Math.round(cap * ScoringRules.UNITS);
  }

  /**
   * A venue network rating a post no more than {@link #venueFactor} times its ratings in the room
   * per post is never held: a hall full of people behind one NAT rates like each other.
   */
  public boolean venueExempt(boolean venue, int ratingsOnPost, long ratingsInRoom, int postsInRoom) {
    return venue && ratingsOnPost * (double) postsInRoom <= venueFactor * ratingsInRoom;
  }

  /**
   * Whether a network's sums on a post make it one the rule looks at: it may be capped, tested, or
   * a moderator decided about it. Every other network counts in full, exactly as in v1.
   */
  public boolean special(Tally network, boolean decided) {
    return enabled && (decided || network.n() >= holdMinRatings || network.s0() > capUnits());
  }
}
