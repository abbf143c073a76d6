package dev.backchannel.bench.load;

/** One {@code stuffing} room: a fresh honest room measured before and after one attack. */
record StuffedRoom(long seed, Sybils attack, HonestRoom.Opened honest, Standing before, Standing after,
    Sybils.Outcome outcome, boolean heldSeen) {

  /** How the attacks of one run are carried out (the same for every room). */
  record Settings(int mimicPosts, long pauseMillis, double settleSeconds) {}

  static StuffedRoom run(Run run, HonestRoom honest, Sybils attack, Settings settings) {
    Client.RoomKeys room = run.room("stuffing");
    HeldWatch watch = HeldWatch.open(run, room);
    HonestRoom.Opened opened = honest.open(run, room, settings.pauseMillis());
    Run.sleepSeconds(settings.settleSeconds()); // the orderings and held frames follow the last acks
    Standing before = Standing.measure(run, room, honest, opened.postIds(), watch);
    Sybils.Outcome outcome = attack.run(run, room, honest, opened.postIds(), before.scores(), honest.seed,
        settings.mimicPosts(), settings.pauseMillis());
    Run.sleepSeconds(settings.settleSeconds());
    Standing after = Standing.measure(run, room, honest, opened.postIds(), watch);
    run.closeSockets();
    return new StuffedRoom(honest.seed, attack, opened, before, after, outcome, watch.heard());
  }

  /** Honest networks held after the attack, at least (see {@link Standing#honestHeldAtLeast}). */
  int honestHeldAfter() {
    return after.honestHeldAtLeast(outcome.rated(), attack.networks());
  }
}
