package dev.backchannel.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes scores, divergences and karma rounded to two decimals: the wire stays short and stable,
 * while the server keeps ordering by the exact values.
 */
public final class TwoDecimals extends StdSerializer<Double> {

  public TwoDecimals() {
    super(Double.class);
  }

  /** The value the wire shows for {@code v}. */
  public static double round(double v) {
    double r = Math.round(v * 100.0) / 100.0;
    return r == 0.0 ? 0.0 : r; // no "-0.0" on the wire
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeNumber(round(value));
  }
}
