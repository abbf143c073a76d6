package dev.backchannel.store.redis;

import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.scoring.ScoringRules;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The engine's Lua scripts, each its own file with {@code common.lua} (templated with the scoring
 * constants) in front, registered together as one Redis Functions library and run with FCALL.
 *
 * <p>Why functions and not EVALSHA: Redis forgets its script cache on a restart or failover, and
 * the EVALSHA → NOSCRIPT → EVAL fallback lets a later command of the same client (sent while the
 * first one's retry is on its way, finding the script loaded by another node) run first, so an
 * acknowledged rating could be overwritten by an older one. Functions are kept in the AOF and
 * replicated, so they are there after a restart; only a Redis that lost its data entirely answers
 * "function not found", and then the library is loaded again and the call retried.
 */
final class RedisScripts {

  private static final String FOLDER = "/dev/backchannel/redis/";

  private final String library;
  private final String prefix;

  RedisScripts(ScoringRules rules) {
    String common = template(read("common"), rules);
    StringBuilder body = new StringBuilder();
    for (Script s : Script.values()) {
      body.append("redis.register_function('NAME_").append(s.file).append("', function(KEYS, ARGV)\n")
          .append(common).append('\n').append(read(s.file)).append("\nend)\n");
    }
    // Nodes configured with other scoring constants register a library of their own, side by side.
    String name = "backchannel_" + sha1(body.toString()).substring(0, 12);
    this.prefix = name + "_";
    this.library = "#!lua name=" + name + "\n" + body.toString().replace("'NAME_", "'" + prefix);
  }

  /** Registers the library (again, if another node of the same version already did). */
  CompletionStage<Void> load(RedisAsyncCommands<String, String> redis) {
    return redis.functionLoad(library, true).thenAccept(name -> { });
  }

  /** Runs a script on the room prefix {@code key}; a Redis that lost the library gets it again first. */
  <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, Script script, String key, String... args) {
    String[] keys = {key};
    CompletionStage<T> first = redis.fcall(prefix + script.file, script.output, keys, args);
    return first.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (String.valueOf(cause.getMessage()).contains("Function not found")) {
        return load(redis).thenCompose(v -> redis.<T>fcall(prefix + script.file, script.output, keys, args))
            .toCompletableFuture();
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  private static String template(String common, ScoringRules r) {
    NetworkRules n = r.networks();
    return common
        .replace("{{weightSlope}}", num(r.weightSlope()))
        .replace("{{weightMin}}", num(r.weightMin()))
        .replace("{{weightMax}}", num(r.weightMax()))
        .replace("{{priorSlope}}", num(r.priorSlope()))
        .replace("{{priorLimit}}", num(r.priorLimit()))
        .replace("{{priorWeight}}", num(r.priorWeight()))
        .replace("{{karmaDivisor}}", num(r.karmaDivisor()))
        .replace("{{divergenceDamping}}", num(r.divergenceDamping()))
        .replace("{{collapseScore}}", num(r.collapseScore()))
        .replace("{{collapseMinRatings}}", Integer.toString(r.collapseMinRatings()))
        .replace("{{divergentMinRatings}}", Integer.toString(r.divergentMinRatings()))
        .replace("{{networksEnabled}}", Boolean.toString(n.enabled()))
        .replace("{{capUnits}}", Long.toString(n.capUnits()))
        .replace("{{holdMinRatings}}", Integer.toString(n.holdMinRatings()))
        .replace("{{referenceMinWeight}}", num(n.referenceMinWeight()))
        .replace("{{holdZ}}", num(n.holdZ()))
        .replace("{{varianceFloor}}", num(n.varianceFloor()))
        .replace("{{holdFullDelta}}", num(n.holdFullDelta()))
        .replace("{{holdFadeDelta}}", num(n.holdFadeDelta()))
        .replace("{{venueFactor}}", num(n.venueFactor()));
  }

  /** A double as Lua reads it back exactly. */
  private static String num(double v) {
    return Double.toString(v);
  }

  private static String read(String name) {
    try (InputStream in = RedisScripts.class.getResourceAsStream(FOLDER + name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script " + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JVM", e);
    }
  }
}
