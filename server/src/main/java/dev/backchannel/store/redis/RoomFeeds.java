package dev.backchannel.store.redis;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.store.RoomEvents;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns each followed room's stream into this node's room events, in seq order, on the room's owner
 * loop. Pub/sub only says "there is something new": the feed then reads the stream from the last
 * seq it delivered. A local command's own event is delivered at once when it is the next one; a
 * gap (another node's change in between, a missed wake-up, a reconnect) is filled from the stream,
 * and a periodic check catches anything pub/sub lost.
 */
final class RoomFeeds {

  /** Events read from the stream per round trip. */
  private static final int BATCH = 500;
  /** How often every followed room's seq is checked, in case a wake-up was lost. */
  private static final long CHECK_MILLIS = 1_000;
  /**
   * How long a wake-up waits for the event to arrive by itself before the stream is read. Most
   * wake-ups are for this node's own commands, whose answers carry the event and race the
   * wake-up; reading at once fetched 4 of every 10 of them a second time (10,000 sockets, 1,000 ratings/s).
   */
  private static final long WAKE_GRACE_MILLIS = 2;

  /** One followed room; touched only on its owner loop. */
  private static final class Feed {
    final String slug;
    long last;
    boolean reading;
    boolean again;
    /** The highest seq a wake-up announced, and whether its grace timer runs. */
    long announced;
    boolean waiting;

    Feed(String slug, long last) {
      this.slug = slug;
      this.last = last;
    }
  }

  private final Vertx vertx;
  private final RoomLoops loops;
  private final RoomEvents events;
  private final RedisAsyncCommands<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final RedisScripts scripts;
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final long checkTimer;

  RoomFeeds(Vertx vertx, RoomLoops loops, RoomEvents events, RedisAsyncCommands<String, String> redis,
      StatefulRedisPubSubConnection<String, String> pubsub, RedisScripts scripts) {
    this.vertx = vertx;
    this.loops = loops;
    this.events = events;
    this.redis = redis;
    this.pubsub = pubsub;
    this.scripts = scripts;
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        String slug = slugOf(channel);
        if (message.equals("deleted")) {
          loops.owner(slug).runOnContext(v -> deleted(slug));
          return;
        }
        long seq = Long.parseLong(message);
        loops.owner(slug).runOnContext(v -> wake(slug, seq)); // off Lettuce's thread at once
      }
    });
    this.checkTimer = vertx.setPeriodic(CHECK_MILLIS, id -> feeds.keySet().forEach(this::check));
  }

  /** Starts delivering the room's events after its current seq; completes once subscribed. */
  Future<Void> follow(String slug) {
    Context owner = loops.owner(slug);
    Future<Void> subscribed = Future.fromCompletionStage(pubsub.async().subscribe(RedisStore.prefix(slug) + ":wake"), owner);
    return subscribed
        .compose(v -> Future.fromCompletionStage(scripts.<Long>run(redis, Script.SEQ, RedisStore.prefix(slug)), owner))
        .map(seq -> {
          feeds.putIfAbsent(slug, new Feed(slug, seq));
          return (Void) null;
        });
  }

  void unfollow(String slug) {
    feeds.remove(slug);
    pubsub.async().unsubscribe(RedisStore.prefix(slug) + ":wake");
  }

  /** An event this node's own command produced: delivered at once when it is the next one. */
  void offer(String slug, String json) {
    if (json == null) {
      return;
    }
    loops.owner(slug).runOnContext(v -> {
      Feed feed = feeds.get(slug);
      if (feed == null) {
        return;
      }
      RoomEvent event = RedisRecords.event(slug, json);
      if (event.seq() == feed.last + 1 && !feed.reading) {
        feed.last = event.seq();
        events.onEvent(event);
      } else if (event.seq() > feed.last) {
        read(feed);
      }
    });
  }

  void close() {
    vertx.cancelTimer(checkTimer);
    feeds.clear();
    pubsub.closeAsync();
  }

  /** The room was deleted: its last event, after which nothing of it is left to read. */
  private void deleted(String slug) {
    Feed feed = feeds.remove(slug);
    if (feed != null) {
      events.onEvent(RoomEvent.deleted(slug, feed.last + 1));
    }
  }

  private void wake(String slug, long seq) {
    Feed feed = feeds.get(slug);
    if (feed == null || seq <= feed.last) {
      return;
    }
    feed.announced = Math.max(feed.announced, seq);
    if (!feed.waiting) {
      feed.waiting = true;
      vertx.setTimer(WAKE_GRACE_MILLIS, id -> {
        feed.waiting = false;
        if (feeds.get(slug) == feed && feed.announced > feed.last) {
          read(feed);
        }
      });
    }
  }

  private void check(String slug) {
    loops.owner(slug).runOnContext(v -> {
      Feed feed = feeds.get(slug);
      if (feed == null) {
        return;
      }
      Future.fromCompletionStage(scripts.<Long>run(redis, Script.SEQ, RedisStore.prefix(slug)), loops.owner(slug))
          .onSuccess(seq -> wake(slug, seq));
    });
  }

  /** Reads the stream after the last delivered seq; one read at a time per room, repeated while behind. */
  private void read(Feed feed) {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    feed.again = false;
    String key = RedisStore.prefix(feed.slug) + ":ev";
    Range<String> after = Range.create((feed.last + 1) + "-0", "+");
    Future.fromCompletionStage(redis.xrange(key, after, io.lettuce.core.Limit.from(BATCH)), loops.owner(feed.slug))
        .onComplete(done -> {
          feed.reading = false;
          if (done.failed() || feeds.get(feed.slug) != feed) {
            return; // the periodic check tries again
          }
          List<StreamMessage<String, String>> messages = done.result();
          for (StreamMessage<String, String> m : messages) {
            RoomEvent event = RedisRecords.event(feed.slug, m.getBody().get("e"));
            if (event.seq() > feed.last) {
              // A gap here means the stream was trimmed past what we had: the view sees it and reloads.
              feed.last = event.seq();
              events.onEvent(event);
            }
          }
          if (messages.size() == BATCH || feed.again) {
            read(feed);
          }
        });
  }

  private static String slugOf(String channel) {
    return channel.substring(channel.indexOf('{') + 1, channel.indexOf('}'));
  }
}
