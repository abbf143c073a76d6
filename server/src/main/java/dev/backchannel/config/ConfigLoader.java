package dev.backchannel.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link Config} from, in increasing precedence: the built-in defaults (the documented
 * {@code config/backchannel.yaml}), a YAML file, environment variables and command-line flags.
 * Any unknown key, flag or bad value fails with an {@link IllegalArgumentException} that says which.
 */
public final class ConfigLoader {

  private static final String DEFAULTS = "/dev/backchannel/config/backchannel.yaml";
  private static final String ENV_PREFIX = "BACKCHANNEL_";
  private static final Path LOCAL_FILE = Path.of("config", "backchannel.yaml");
  /** Lists of mappings (the sign-in providers) have no one-line form: only a config file sets them. */
  private static final Set<String> FILE_ONLY = Set.of("oidc");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Loads the configuration the way the server starts: defaults, file, environment, flags. */
  public Config load(List<String> args, Map<String, String> env) {
    Flags flags = Flags.parse(args);
    ObjectNode tree = read(ConfigLoader.class.getResourceAsStream(DEFAULTS), DEFAULTS);
    Path file = configFile(flags, env);
    if (file != null) {
      try (InputStream in = Files.newInputStream(file)) {
        merge(tree, read(in, file.toString()));
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read config file " + file + ": " + e.getMessage(), e);
      }
    }
    for (Iterator<String> keys = tree.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      String variable = ENV_PREFIX + upperSnake(key);
      String value = env.get(variable);
      if (value != null && !value.isBlank() && FILE_ONLY.contains(key)) {
        throw new IllegalArgumentException(key + " can only be set in the config file, not by " + variable);
      }
      if (value != null && !value.isBlank() && !tree.get(key).isObject()) { // an empty variable is unset
        set(tree, key, value);
      }
    }
    flags.values().forEach((flag, value) -> {
      String key = camel(flag);
      if (!tree.has(key) || tree.get(key).isObject()) {
        throw new IllegalArgumentException("Unknown flag --" + flag);
      }
      if (FILE_ONLY.contains(key)) {
        throw new IllegalArgumentException(key + " can only be set in the config file, not by --" + flag);
      }
      set(tree, key, value);
    });
    try {
      return yaml.treeToValue(tree, Config.class);
    } catch (JsonMappingException e) {
      String key = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
          .filter(Objects::nonNull).reduce((a, b) -> a + "." + b).orElse("?");
      throw new IllegalArgumentException("Bad configuration for '" + key + "': " + rootMessage(e), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad configuration: " + rootMessage(e), e);
    }
  }

  private static Path configFile(Flags flags, Map<String, String> env) {
    String named = flags.config() != null ? flags.config() : env.get(ENV_PREFIX + "CONFIG");
    if (named != null && !named.isBlank()) {
      Path p = Path.of(named);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("Config file " + p + " does not exist");
      }
      return p;
    }
    return Files.isRegularFile(LOCAL_FILE) ? LOCAL_FILE : null;
  }

  private ObjectNode read(InputStream in, String name) {
    try {
      JsonNode node = yaml.readTree(in);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!node.isObject()) {
        throw new IllegalArgumentException("Config file " + name + " must hold a mapping of keys to values");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot parse config file " + name + ": " + e.getMessage(), e);
    }
  }

  private static void merge(ObjectNode base, ObjectNode over) {
    over.fields().forEachRemaining(e -> {
      JsonNode current = base.get(e.getKey());
      if (current == null) {
        throw new IllegalArgumentException("Unknown config key '" + e.getKey() + "'");
      }
      if (current.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) current, (ObjectNode) e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    });
  }

  /** Sets a scalar or list key from text; an empty value means "unset" (null). */
  private static void set(ObjectNode tree, String key, String value) {
    if (value.isBlank()) {
      tree.putNull(key);
    } else if (tree.get(key).isArray()) {
      ArrayNode list = tree.putArray(key);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
    } else {
      tree.put(key, value.trim());
    }
  }

  static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static String camel(String kebab) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof JsonMappingException m ? m.getOriginalMessage() : t.getMessage();
  }

  /** Command-line flags: {@code --key=value} or {@code --key value}, plus {@code --config path}. */
  private record Flags(String config, Map<String, String> values) {
    static Flags parse(List<String> args) {
      Map<String, String> values = new java.util.LinkedHashMap<>();
      List<String> rest = new ArrayList<>(args);
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        if (!arg.startsWith("--") || arg.length() < 3) {
          throw new IllegalArgumentException("Unexpected argument '" + arg + "'; flags look like --port=8080");
        }
        String body = arg.substring(2);
        int eq = body.indexOf('=');
        if (eq >= 0) {
          values.put(body.substring(0, eq), body.substring(eq + 1));
        } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
          values.put(body, rest.get(++i));
        } else {
          throw new IllegalArgumentException("Flag --" + body + " needs a value");
        }
      }
      String config = values.remove("config");
      return new Flags(config, values);
    }
  }

}
