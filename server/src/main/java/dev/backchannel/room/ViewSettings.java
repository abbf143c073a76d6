package dev.backchannel.room;

/** The limits and intervals a room view works with (from the server's configuration). */
public record ViewSettings(
    int broadcastIntervalMs,
    int dashboardIntervalMs,
    int socketsPerParticipant,
    int snapshotLimit,
    int divergentMinRatings,
    int postsPerWindow,
    int postWindowSeconds,
    int ratingsPerSecond,
    int ratingBurst) {}
