package dev.backchannel.store.redis;

import dev.backchannel.scoring.ScoringRules;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The engine's Lua scripts, each its own file with {@code common.lua} (templated with the scoring
 * constants) in front. They are loaded with SCRIPT LOAD and run with EVALSHA; a server that lost
 * them (a restart, a failover, SCRIPT FLUSH) answers NOSCRIPT, and the script is sent whole with
 * EVAL, which also loads it again.
 */
final class RedisScripts {

  private static final String FOLDER = "/dev/backchannel/redis/";

  private final Map<Script, String> texts = new EnumMap<>(Script.class);
  private final Map<Script, String> shas = new EnumMap<>(Script.class);

  RedisScripts(ScoringRules rules) {
    String common = template(read("common"), rules);
    for (Script s : Script.values()) {
      String text = common + "\n" + read(s.file);
      texts.put(s, text);
      shas.put(s, sha1(text));
    }
  }

  /** Loads every script into the server's cache; the SHA it answers must be the one computed here. */
  CompletionStage<Void> load(RedisAsyncCommands<String, String> redis) {
    CompletableFuture<?>[] loads = texts.entrySet().stream()
        .map(e -> redis.scriptLoad(e.getValue()).toCompletableFuture().thenAccept(sha -> {
          if (!sha.equals(shas.get(e.getKey()))) {
            throw new IllegalStateException("Redis hashed script " + e.getKey() + " differently: " + sha);
          }
        }))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(loads);
  }

  /** Runs a script on the room prefix {@code key}; NOSCRIPT falls back to EVAL. */
  <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, Script script, String key, String... args) {
    String[] keys = {key};
    CompletionStage<T> first = redis.evalsha(shas.get(script), script.output, keys, args);
    return first.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof RedisNoScriptException) {
        return redis.<T>eval(texts.get(script), script.output, keys, args).toCompletableFuture();
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  private static String template(String common, ScoringRules r) {
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
        .replace("{{divergentMinRatings}}", Integer.toString(r.divergentMinRatings()));
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
