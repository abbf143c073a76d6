package dev.backchannel.gateway;

import dev.backchannel.store.RoomInfo;
import java.util.List;

/** Invitations written out: CSV for a mail merge, and an HTML sheet to print and cut into cards. */
final class InviteSheet {

  private InviteSheet() {}

  static String csv(List<Invitations.Listed> all) {
    StringBuilder out = new StringBuilder(all.size() * 96).append("invite,link,used\r\n");
    for (Invitations.Listed i : all) {
      out.append(CsvExport.cell(i.invite())).append(',').append(CsvExport.cell(i.link())).append(',')
          .append(i.used()).append("\r\n");
    }
    return out.toString();
  }

  /** Page {@code page} (from 1) of the printable sheet: {@link Invitations#SHEET_PAGE} cards. */
  static String html(RoomInfo room, List<Invitations.Listed> all, int page) {
    int pages = Math.max(1, (all.size() + Invitations.SHEET_PAGE - 1) / Invitations.SHEET_PAGE);
    int from = Math.min(all.size(), (page - 1) * Invitations.SHEET_PAGE);
    int to = Math.min(all.size(), from + Invitations.SHEET_PAGE);
    String title = escape(room.title());
    StringBuilder out = new StringBuilder(8192 * (to - from + 1))
        .append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Invitations: ").append(title).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1rem;color:#111;background:#fff}")
        .append("ol{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.5rem}")
        .append("li{border:1px dashed #555;padding:.75rem;break-inside:avoid;text-align:center}")
        .append("li svg{width:10rem;height:10rem}.code{font:1.1rem/1.4 monospace;letter-spacing:.1em}")
        .append(".used{color:#444}nav a{margin-right:1rem;color:#0645ad}")
        .append("@media print{nav,.intro{display:none}body{margin:0}}</style></head><body><main>")
        .append("<h1>Invitations to ").append(title).append("</h1>")
        .append("<p class=\"intro\">").append(all.size()).append(all.size() == 1 ? " invitation, " : " invitations, ")
        .append(all.stream().filter(Invitations.Listed::used).count())
        .append(" used. Each one lets exactly one person in: scan the code, or open the room and type the invitation.")
        .append(" Page ").append(page).append(" of ").append(pages).append(".</p><ol>");
    for (Invitations.Listed i : all.subList(from, to)) {
      out.append("<li><p><strong>").append(title).append("</strong></p>")
          .append(QrCodes.svg(i.link()).replace("aria-label=\"QR code\"", "aria-label=\"QR code of invitation "
              + i.invite() + "\""))
          .append("<p>Or open ").append(escape(room(i.link()))).append(" and type:</p>")
          .append("<p class=\"code\">").append(group(i.invite())).append("</p>");
      if (i.used()) {
        out.append("<p class=\"used\">Used</p>");
      }
      out.append("</li>");
    }
    out.append("</ol>");
    if (pages > 1) {
      out.append("<nav aria-label=\"Pages\">");
      for (int p = 1; p <= pages; p++) {
        out.append("<a href=\"?format=html&amp;page=").append(p).append('"')
            .append(p == page ? " aria-current=\"page\"" : "").append(">Page ").append(p).append("</a>");
      }
      out.append("</nav>");
    }
    return out.append("</main></body></html>").toString();
  }

  /** The room's address: the link without the invitation in its fragment. */
  private static String room(String link) {
    int hash = link.indexOf('#');
    return hash < 0 ? link : link.substring(0, hash);
  }

  /** Groups of four are easier to read out and type: ABCD-EFGH-… (joins ignore the dashes). */
  private static String group(String invite) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < invite.length(); i += 4) {
      if (i > 0) {
        s.append('-');
      }
      s.append(invite, i, Math.min(invite.length(), i + 4));
    }
    return s.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
