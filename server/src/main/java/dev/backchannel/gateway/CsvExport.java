package dev.backchannel.gateway;

import dev.backchannel.model.Post;
import dev.backchannel.model.TwoDecimals;
import java.util.List;

/** The CSV export: one row per post with its scores, ratings count and status (RFC 4180 quoting). */
final class CsvExport {

  private CsvExport() {}

  static String write(List<Post> posts) {
    StringBuilder out = new StringBuilder("id,createdAt,authorId,authorNick,replyTo,status,score,divergence,ratings,text\r\n");
    for (Post p : posts) {
      out.append(cell(p.id())).append(',')
          .append(cell(p.createdAt().toString())).append(',')
          .append(cell(p.author().id())).append(',')
          .append(cell(p.author().nick())).append(',')
          .append(cell(p.replyTo())).append(',')
          .append(p.status().wire()).append(',')
          .append(TwoDecimals.round(p.score())).append(',')
          .append(TwoDecimals.round(p.divergence())).append(',')
          .append(p.ratings()).append(',')
          .append(cell(p.text())).append("\r\n");
    }
    return out.toString();
  }

  /**
   * Quotes a cell; text starting with = + - @ gets a leading apostrophe so a spreadsheet opening the
   * export never runs an audience member's formula.
   */
  static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
